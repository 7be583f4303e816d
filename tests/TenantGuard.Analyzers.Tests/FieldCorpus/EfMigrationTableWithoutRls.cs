// Every tenant table of the first migration is put under row-level security with Sql(...) after EF creates it; a later
// migration adds api_keys with a tenant column and never does: any connection reads every tenant's keys.
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FieldCorpus.EfMigrationTableWithoutRls;

[Migration("20240101000000_Initial")]
public partial class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "projects",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                name = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_projects", x => new { x.tenant_id, x.id }));

        migrationBuilder.Sql("ALTER TABLE projects ENABLE ROW LEVEL SECURITY;");
        migrationBuilder.Sql("ALTER TABLE projects FORCE ROW LEVEL SECURITY;");
        migrationBuilder.Sql("CREATE POLICY projects_tenant ON projects USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "projects");
}

[Migration("20240301000000_ApiKeys")]
public partial class ApiKeys : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable( // expect: TG2001
            name: "api_keys",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                key_hash = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_api_keys", x => new { x.tenant_id, x.id }));
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "api_keys");
}
