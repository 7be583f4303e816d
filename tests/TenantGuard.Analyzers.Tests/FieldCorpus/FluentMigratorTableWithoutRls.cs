// FluentMigrator: the first migration creates tenants' notes and protects them with Execute.Sql; the second adds
// attachments with a tenant column and no row-level security.
using FluentMigrator;

namespace FieldCorpus.FluentMigratorTableWithoutRls;

[Migration(1)]
public class CreateNotes : Migration
{
    public override void Up()
    {
        Create.Table("notes")
            .WithColumn("id").AsGuid().PrimaryKey()
            .WithColumn("tenant_id").AsGuid().NotNullable().Indexed()
            .WithColumn("body").AsString();
        Execute.Sql("ALTER TABLE notes ENABLE ROW LEVEL SECURITY; ALTER TABLE notes FORCE ROW LEVEL SECURITY;");
        Execute.Sql("CREATE POLICY notes_tenant ON notes USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
    }

    public override void Down() => Delete.Table("notes");
}

[Migration(2)]
public class CreateAttachments : Migration
{
    public override void Up()
    {
        Create.Table("attachments") // expect: TG2001
            .WithColumn("id").AsGuid().PrimaryKey()
            .WithColumn("tenant_id").AsGuid().NotNullable().Indexed()
            .WithColumn("path").AsString();
    }

    public override void Down() => Delete.Table("attachments");
}
