using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.RejectedStatementAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2011: a statement an EXECUTE format(...) builds that PostgreSQL rejects, and the DO block it aborts.</summary>
    public class TG2011_RejectedStatementTests
    {
        private const string Code = "class C { }";

        private static Task Check(string migration) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), new[] { ("/migrations/001.sql", migration) });

        [Fact]
        public Task A_name_glued_to_a_quoted_identifier() => Check("""
            CREATE TABLE "Companies" (id uuid, tenant_id uuid);
            CREATE TABLE "Users" (id uuid, tenant_id uuid);
            DO $do$
            DECLARE tbl text;
            BEGIN
                FOREACH tbl IN ARRAY ARRAY['Companies', 'Users'] LOOP
                    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
                    {|TG2011:EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))', tbl, tbl)|};
                END LOOP;
            END $do$;
            """);

        [Fact]
        public Task A_suffix_after_the_placeholder() => Check("""
            CREATE TABLE "OrderLines" (id uuid, tenant_id uuid);
            DO $do$
            BEGIN
                {|TG2011:EXECUTE format('CREATE POLICY %I_tenant ON %I USING (true)', 'OrderLines', 'OrderLines')|};
            END $do$;
            """);

        [Fact]
        public Task The_message_gives_the_statement_and_the_error() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", """
                    DO $do$
                    BEGIN
                        EXECUTE format('CREATE POLICY p_%I ON %I USING (true)', 'Companies', 'Companies');
                    END $do$;
                    """),
            },
            Verify.Diagnostic("TG2011").WithSpan("/migrations/001.sql", 3, 5, 3, 86).WithArguments(
                "'CREATE POLICY p_\"Companies\" ON \"Companies\" USING (true)'",
                "42601: syntax error at or near \"\"Companies\"\"",
                "the DO block it runs in is rolled back, so none of its statements take effect",
                "build the whole name inside %I (format('%I', 'prefix_' || name))"));

        [Fact]
        public Task An_ef_migration_is_rolled_back_with_the_statement() => Verify.AnalyzerAsync("""
            using System;
            using Microsoft.EntityFrameworkCore.Infrastructure;
            using Microsoft.EntityFrameworkCore.Migrations;

            [Migration("20240101000000_Initial")]
            public partial class Initial : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("CREATE TABLE invoices (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);");
                }
            }

            [Migration("20240201000000_AddCompanies")]
            public partial class AddCompanies : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("CREATE TABLE \"Companies\" (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);");
                    migrationBuilder.Sql("ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;");
                    migrationBuilder.Sql("DO $do$ BEGIN {|#0:EXECUTE format('CREATE POLICY p_%I ON %I USING (true)', 'Companies', 'Companies')|}; END $do$;");
                }
            }
            """,
            Array.Empty<(string, string)>(),
            Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG2011").WithLocation(0).WithArguments(
                "'CREATE POLICY p_\"Companies\" ON \"Companies\" USING (true)'",
                "42601: syntax error at or near \"\"Companies\"\"",
                "the migration it runs in is rolled back with it (it runs in one transaction), so none of that migration's statements take effect",
                "build the whole name inside %I (format('%I', 'prefix_' || name))"));

        [Fact]
        public Task Format_strings_postgresql_refuses_and_text_that_cannot_parse() => Check("""
            CREATE TABLE orders (id uuid, tenant_id uuid);
            DO $do$
            BEGIN
                {|TG2011:EXECUTE format('CREATE POLICY %I ON %I USING (true)', 'orders_tenant')|};
            END $do$;
            DO $do$
            BEGIN
                {|TG2011:EXECUTE format('CREATE POLICY %I ON %d USING (true)', 'orders_tenant', 'orders')|};
            END $do$;
            DO $do$
            BEGIN
                {|TG2011:EXECUTE 'CREATE POLICY p ON orders USING ((tenant_id = current_setting(''app.tenant_id'', true)::uuid)'|};
            END $do$;
            DO $do$
            BEGIN
                {|TG2011:EXECUTE format('CREATE POLICY %I ON orders USING (true)', '')|};
            END $do$;
            DO $do$
            BEGIN
                EXECUTE format('CREATE POLICY %I ON %I USING (%s)', 'orders_tenant', 'orders', 'true');
                EXECUTE format('CREATE POLICY %1$I ON %2$I USING (true)', 'orders_all', 'orders');
                EXECUTE format('SELECT %*s', 10, 'x');
            END $do$;
            """);

        [Fact]
        public Task Lower_case_names_and_whole_names_inside_the_placeholder_are_quiet() => Check("""
            CREATE TABLE orders (id uuid, tenant_id uuid);
            CREATE TABLE "Companies" (id uuid, tenant_id uuid);
            DO $do$
            DECLARE tbl text;
            BEGIN
                FOREACH tbl IN ARRAY ARRAY['orders'] LOOP
                    EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (true)', tbl, tbl);
                END LOOP;
                FOREACH tbl IN ARRAY ARRAY['Companies'] LOOP
                    EXECUTE format('CREATE POLICY %I ON %I USING (true)', 'tenant_isolation_' || tbl, tbl);
                    EXECUTE format('SELECT 1 AS%I', tbl);
                END LOOP;
            END $do$;
            """);
    }
}
