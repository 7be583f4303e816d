using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.ForeignKeyAcrossTenantsAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2007: foreign keys between tenant tables that leave the tenant column out.</summary>
    public class TG2007_ForeignKeyAcrossTenantsTests
    {
        private const string Code = "class C { }";

        private static Task Check(string migration) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), new[] { ("/migrations/001.sql", migration) });

        private const string Contacts = """
            CREATE TABLE tenants (id uuid PRIMARY KEY, name text);
            CREATE TABLE contacts (id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants (id), name text, UNIQUE (tenant_id, id));

            """;

        [Fact]
        public Task A_column_reference_by_id_alone() => Check(Contacts + """
            {|TG2007:CREATE TABLE transactions (id uuid PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants (id), contact_id uuid REFERENCES contacts (id))|};
            """);

        [Fact]
        public Task The_message_gives_the_composite_key() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", Contacts + "CREATE TABLE notes (id serial PRIMARY KEY, tenant_id uuid NOT NULL, contact_id uuid REFERENCES contacts);") },
            Verify.Diagnostic("TG2007").WithSpan("/migrations/001.sql", 3, 1, 3, 105).WithArguments(
                "notes", "contact_id", "contacts", "tenant_id, contact_id", "tenant_id, id"));

        [Fact]
        public Task A_table_constraint_and_an_alter_table() => Check(Contacts + """
            {|TG2007:CREATE TABLE notes (id serial PRIMARY KEY, tenant_id uuid NOT NULL, contact_id uuid, CONSTRAINT fk_contact FOREIGN KEY (contact_id) REFERENCES contacts (id))|};
            CREATE TABLE tasks (id serial PRIMARY KEY, tenant_id uuid NOT NULL, contact_id uuid);
            {|TG2007:ALTER TABLE tasks ADD CONSTRAINT fk_task_contact FOREIGN KEY (contact_id) REFERENCES contacts (id)|};
            """);

        [Fact]
        public Task Composite_keys_are_quiet() => Check(Contacts + """
            CREATE TABLE transactions (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (id),
                contact_id uuid,
                FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
            );
            """);

        [Fact]
        public Task References_to_the_tenant_registry_and_to_global_tables_are_quiet() => Check(Contacts + """
            CREATE TABLE countries (code text PRIMARY KEY, name text);
            CREATE TABLE addresses (id serial PRIMARY KEY, tenant_id uuid NOT NULL REFERENCES tenants (id), country text REFERENCES countries (code));
            """);

        [Fact]
        public Task From_a_global_table_is_quiet() => Check(Contacts + """
            CREATE TABLE audit (id serial PRIMARY KEY, contact_id uuid REFERENCES contacts (id));
            """);

        [Fact]
        public Task A_disable_comment_keeps_a_deliberate_key() => Check(Contacts + """
            -- tenantguard:disable TG2007 contacts ids are random uuids and the endpoint checks visibility first
            CREATE TABLE notes (id serial PRIMARY KEY, tenant_id uuid NOT NULL, contact_id uuid REFERENCES contacts (id));
            """);

        [Fact]
        public Task An_ef_core_foreign_key_is_reported_on_its_line() => Verify.AnalyzerAsync("""
            using System;
            using Microsoft.EntityFrameworkCore.Migrations;

            public partial class Initial : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.CreateTable(
                        name: "customers",
                        columns: table => new { id = table.Column<Guid>(nullable: false), tenant_id = table.Column<Guid>(nullable: false) },
                        constraints: table =>
                        {
                            table.PrimaryKey("pk_customers", x => x.id);
                            table.UniqueConstraint("ak_customers_tenant_id_id", x => new { x.tenant_id, x.id });
                        });

                    migrationBuilder.CreateTable(
                        name: "orders",
                        columns: table => new
                        {
                            id = table.Column<Guid>(nullable: false),
                            tenant_id = table.Column<Guid>(nullable: false),
                            customer_id = table.Column<Guid>(nullable: false)
                        },
                        constraints: table =>
                        {
                            table.PrimaryKey("pk_orders", x => x.id);
                            {|TG2007:table.ForeignKey|}(
                                name: "fk_orders_customers_customer_id",
                                column: x => x.customer_id,
                                principalTable: "customers",
                                principalColumn: "id");
                            table.ForeignKey(
                                name: "fk_orders_customers_tenant",
                                columns: x => new { x.tenant_id, x.customer_id },
                                principalTable: "customers",
                                principalColumns: new[] { "tenant_id", "id" });
                        });

                    {|TG2007:migrationBuilder.AddForeignKey|}(name: "fk_late", table: "orders", column: "customer_id", principalTable: "customers", principalColumn: "id");
                }
            }
            """);
    }
}
