// EF's foreign key names the referenced row by id alone: an order may point at another tenant's customer, and the
// database accepts it. With the tenant column in the key (and an alternate key on the principal) it refuses the row.
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FieldCorpus.EfMigrationForeignKey;

[Migration("20240101000000_Initial")]
public partial class Initial : Migration
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
                table.ForeignKey( // expect: TG2007
                    name: "fk_orders_customers_customer_id",
                    column: x => x.customer_id,
                    principalTable: "customers",
                    principalColumn: "id");
            });

        migrationBuilder.CreateTable(
            name: "invoices",
            columns: table => new
            {
                id = table.Column<Guid>(type: "uuid", nullable: false),
                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                customer_id = table.Column<Guid>(type: "uuid", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_invoices", x => new { x.tenant_id, x.id });
                table.ForeignKey(
                    name: "fk_invoices_customers",
                    columns: x => new { x.tenant_id, x.customer_id },
                    principalTable: "customers",
                    principalColumns: new[] { "tenant_id", "id" });
            });

        foreach (var table in new[] { "customers", "orders", "invoices" })
        {
            migrationBuilder.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;");
            migrationBuilder.Sql($"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql($"CREATE POLICY {table}_tenant ON {table} USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
