// An EF Core migration creates every table's tenant policy in a DO block over the tables' names, as EF names them.
// format() quotes "Companies"; the prefix glued to %I makes the statement a syntax error, and the migration, which EF
// Core runs in one transaction, rolls back: neither the table nor its row-level security exists afterwards.
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FieldCorpus.EfMigrationPolicyLoop;

[Migration("20240101000000_Initial")]
public partial class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("CREATE TABLE \"Companies\" (\"Id\" uuid PRIMARY KEY, tenant_id uuid NOT NULL);");
        migrationBuilder.Sql("CREATE INDEX ix_companies_tenant ON \"Companies\" (tenant_id);");
        migrationBuilder.Sql("ALTER TABLE \"Companies\" ENABLE ROW LEVEL SECURITY;");
        migrationBuilder.Sql(@"
            DO $rls$
            DECLARE tbl text;
            BEGIN
                FOREACH tbl IN ARRAY ARRAY['Companies'] LOOP
                    EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))', tbl, tbl); -- // expect: TG2011
                END LOOP;
            END $rls$;");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
