using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.TableWithoutRlsAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2001: a tenant table the migrations leave without row-level security, reported on the migration.</summary>
    public class TG2001_TableWithoutRlsTests
    {
        private const string Code = "class C { }";

        private static Task Check(string migration, params (string, string)[] options) =>
            Verify.AnalyzerAsync(Code, options, new[] { ("/migrations/001_schema.sql", migration) });

        [Fact]
        public Task Table_with_a_tenant_column_and_no_rls() => Check("""
            {|TG2001:CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, total numeric)|};
            CREATE TABLE contacts (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
            ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
            ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
            CREATE POLICY contacts_tenant ON contacts USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            """);

        [Fact]
        public Task The_column_the_policies_compare_with_the_tenant_setting_is_a_tenant_column() => Check("""
            CREATE TABLE "Users" ("Id" uuid PRIMARY KEY, "TenantId" uuid NOT NULL);
            ALTER TABLE "Users" ENABLE ROW LEVEL SECURITY;
            ALTER TABLE "Users" FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON "Users" USING ("TenantId" = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
            {|TG2001:CREATE TABLE "Invoices" ("Id" uuid PRIMARY KEY, "TenantId" uuid NOT NULL)|};
            CREATE TABLE "Notes" ("Id" uuid PRIMARY KEY, "OwnerId" uuid NOT NULL);
            ALTER TABLE "Notes" ENABLE ROW LEVEL SECURITY;
            CREATE POLICY notes_owner ON "Notes" USING ("OwnerId" = (SELECT NULLIF(current_setting('app.user_id', true), '')::uuid));
            CREATE TABLE "Drafts" ("Id" uuid PRIMARY KEY, "OwnerId" uuid NOT NULL);
            """);

        [Fact]
        public Task A_configured_tenant_column_list_replaces_what_the_policies_say() => Check(
            """
            CREATE TABLE "Users" ("Id" uuid PRIMARY KEY, "TenantId" uuid NOT NULL);
            ALTER TABLE "Users" ENABLE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON "Users" USING ("TenantId" = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
            CREATE TABLE "Invoices" ("Id" uuid PRIMARY KEY, "TenantId" uuid NOT NULL);
            {|TG2001:CREATE TABLE orgs_data (id uuid PRIMARY KEY, org uuid NOT NULL)|};
            """,
            ("tenantguard.tenant_columns", "org"));

        [Fact]
        public Task The_message_names_the_table_and_why_it_is_a_tenant_table() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001_schema.sql", "CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);") },
            Verify.Diagnostic("TG2001").WithSpan("/migrations/001_schema.sql", 1, 1, 1, 71).WithArguments("invoices", "column 'tenant_id'", "never enabled", "invoices"));

        [Fact]
        public Task Rls_disabled_by_a_later_migration_is_reported_there() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001_schema.sql", """
                    CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
                    ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
                    """),
                ("/migrations/002_relax.sql", "{|TG2001:ALTER TABLE invoices DISABLE ROW LEVEL SECURITY|};"),
            });

        [Fact]
        public Task A_configured_tenant_table_and_a_configured_tenant_column() => Check(
            """
            {|TG2001:CREATE TABLE notes (id serial PRIMARY KEY, body text)|};
            {|TG2001:CREATE TABLE orders (id serial PRIMARY KEY, org_id uuid NOT NULL)|};
            CREATE TABLE countries (code text PRIMARY KEY);
            """,
            ("tenantguard.tenant_tables", "notes"),
            ("tenantguard.tenant_columns", "org_id"));

        [Fact]
        public Task Global_tables_and_tables_under_rls_are_quiet() => Check("""
            CREATE TABLE tenants (id uuid PRIMARY KEY, name text NOT NULL);
            CREATE TABLE tenant (tenant_id integer PRIMARY KEY, name text NOT NULL);
            CREATE TABLE tenant_registry (tenant_id uuid, name text, CONSTRAINT pk PRIMARY KEY (tenant_id));
            CREATE TABLE countries (code text PRIMARY KEY);
            CREATE TABLE contacts (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
            ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
            ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
            CREATE POLICY contacts_tenant ON contacts USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            """);

        [Fact]
        public Task A_table_created_in_csharp_is_reported_on_the_string() => Verify.AnalyzerAsync("""
            using Microsoft.EntityFrameworkCore.Migrations;

            public class AddInvoices : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("{|TG2001:CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL)|}");
                }
            }
            """);

        [Fact]
        public Task A_disable_comment_on_the_statement_or_at_the_top_of_the_file() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001_schema.sql", """
                    -- tenantguard:disable TG2001 membership lookups run before the tenant is known
                    CREATE TABLE memberships (user_id uuid NOT NULL, tenant_id uuid NOT NULL);
                    CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
                    """),
                ("/migrations/000_header.sql", """
                    -- tenantguard:disable TG2001, TG2002 audit tables are written by a trusted job
                    -- (second header line)

                    CREATE TABLE audit_log (tenant_id uuid, what text);
                    """),
            });

        [Fact]
        public Task A_table_ef_core_created_is_reported_on_the_operation_and_sql_rls_added_later_counts() => Verify.AnalyzerAsync("""
            using System;
            using Microsoft.EntityFrameworkCore.Migrations;

            public partial class Initial : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    {|TG2001:migrationBuilder.CreateTable|}(
                        name: "api_keys",
                        columns: table => new { id = table.Column<Guid>(nullable: false), tenant_id = table.Column<Guid>(nullable: false) });
                    migrationBuilder.CreateTable(
                        name: "projects",
                        columns: table => new { id = table.Column<Guid>(nullable: false), tenant_id = table.Column<Guid>(nullable: false) });
                    migrationBuilder.CreateTable(
                        name: "countries",
                        columns: table => new { code = table.Column<string>(nullable: false) });
                    migrationBuilder.Sql("ALTER TABLE projects ENABLE ROW LEVEL SECURITY;");
                }
            }
            """);

        [Fact]
        public Task Sql_a_method_returns_leaves_the_tables_before_it_undecided() => Verify.AnalyzerAsync("""
            using System;
            using Microsoft.EntityFrameworkCore.Migrations;

            public static class RlsScripts
            {
                public static string EnableFor(string table) => string.Concat("ALTER TABLE ", table, " ENABLE ROW LEVEL SECURITY");
            }

            [Migration("20240101000000_Initial")]
            public partial class Initial : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.CreateTable(
                        name: "project_users",
                        columns: table => new { id = table.Column<Guid>(nullable: false), tenant_id = table.Column<Guid>(nullable: false) });
                }
            }

            [Migration("20240102000000_AddRls")]
            public partial class AddRls : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql(RlsScripts.EnableFor(nameof(AddRls)));
                    {|TG2001:migrationBuilder.CreateTable|}(
                        name: "project_streams",
                        columns: table => new { id = table.Column<Guid>(nullable: false), tenant_id = table.Column<Guid>(nullable: false) });
                }
            }
            """);

        [Fact]
        public Task A_table_a_helper_of_another_class_protects_is_quiet() => Verify.AnalyzerAsync("""
            using System;
            using Microsoft.EntityFrameworkCore.Migrations;

            public static class RlsMigrationExtensions
            {
                public static void EnableTenantRls(this MigrationBuilder migrationBuilder, string table)
                {
                    migrationBuilder.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;");
                    migrationBuilder.Sql($"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;");
                    migrationBuilder.Sql($"CREATE POLICY {table}_tenant ON {table} USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
                }
            }

            public partial class Initial : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.CreateTable(
                        name: "users",
                        columns: table => new { id = table.Column<Guid>(nullable: false), tenant_id = table.Column<Guid>(nullable: false) });
                    migrationBuilder.EnableTenantRls("users");
                }
            }
            """);
    }
}
