using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TenantGuard.EndToEnd.Tests.EfMigrations;

/// <summary>TG2001's anti-pattern as EF Core writes it: a tenant table created by CreateTable, never put under row-level security.</summary>
[DbContext(typeof(ApiKeysWithoutRlsContext))]
[Migration("20240101000000_AddApiKeys")]
public sealed class AddApiKeysWithoutRls : Migration
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
        migrationBuilder.Sql("GRANT SELECT, INSERT ON api_keys TO schema_app;");
    }
}
