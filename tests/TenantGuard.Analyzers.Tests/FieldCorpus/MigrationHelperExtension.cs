// The infrastructure project's extension method puts a table under row-level security; every migration calls it
// with the table's name. The tables it protects are protected: no TG2001, no TG2004, no statement left unread.
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FieldCorpus.MigrationHelperExtension;

public static class RlsMigrationExtensions
{
    private const string Setting = "app.tenant_id";

    public static void EnableTenantRls(this MigrationBuilder migrationBuilder, string table, string column = "tenant_id")
    {
        migrationBuilder.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;");
        migrationBuilder.Sql($"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;");
        migrationBuilder.Sql($"CREATE POLICY {table}_tenant_isolation ON {table} USING ({column} = (SELECT NULLIF(current_setting('{Setting}', true), '')::uuid));");
    }
}

[Migration("20240101000000_Initial")]
public partial class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("CREATE TABLE users (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, email text NOT NULL);");
        migrationBuilder.Sql("CREATE INDEX ix_users_tenant_id ON users (tenant_id);");
        migrationBuilder.EnableTenantRls("users");

        migrationBuilder.CreateTable(
            name: "documents",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_documents", x => new { x.tenant_id, x.id }));
        migrationBuilder.EnableTenantRls("documents");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
