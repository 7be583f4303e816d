using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TenantGuard.EndToEnd.Tests.EfMigrations;

/// <summary>TG2007's anti-pattern as EF Core writes it: the order's key names the customer's id alone, so an order may point at another tenant's customer.</summary>
[DbContext(typeof(OrdersKeyedByIdContext))]
[Migration("20240101000000_AddOrders")]
public sealed class AddOrdersKeyedById : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "customers",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_customers", x => x.id);
                table.UniqueConstraint("ak_customers_tenant_id_id", x => new { x.tenant_id, x.id });
            });

        migrationBuilder.CreateTable(
            name: "orders",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                customer_id = table.Column<Guid>(type: "uuid", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_orders", x => new { x.tenant_id, x.id });
                table.ForeignKey(
                    name: "fk_orders_customers_customer_id",
                    column: x => x.customer_id,
                    principalTable: "customers",
                    principalColumn: "id");
            });

        foreach (var table in new[] { "customers", "orders" })
        {
            migrationBuilder.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;");
            migrationBuilder.Sql($"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql($"CREATE POLICY {table}_tenant_isolation ON {table} USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
            migrationBuilder.Sql($"GRANT SELECT, INSERT ON {table} TO schema_app;");
        }
    }
}
