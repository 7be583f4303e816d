using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TenantGuard.EndToEnd.Tests.EfMigrations;

/// <summary>TG2001 fixed as its code fix writes it: the same CreateTable, then row-level security enabled, forced, and a tenant policy.</summary>
[DbContext(typeof(ApiKeysWithRlsContext))]
[Migration("20240101000000_AddApiKeys")]
public sealed class AddApiKeysWithRls : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                name = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_api_keys", x => new { x.tenant_id, x.id }));
        migrationBuilder.Sql("ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;");
        migrationBuilder.Sql("ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;");
        migrationBuilder.Sql("CREATE POLICY api_keys_tenant_isolation ON api_keys USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
        migrationBuilder.Sql("GRANT SELECT, INSERT ON api_keys TO schema_app;");
    }
}
