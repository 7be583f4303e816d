using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.RlsPolicyMismatchAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2004: row-level security with no policy (suggestion), and policies on a table without row-level security.</summary>
    public class TG2004_RlsPolicyMismatchTests
    {
        private const string Code = "class C { }";

        private static Task Check(string migration) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), new[] { ("/migrations/001.sql", migration) });

        [Fact]
        public Task Rls_enabled_with_no_policy_is_a_suggestion() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", "CREATE TABLE invoices (id int, tenant_id uuid);\nALTER TABLE invoices ENABLE ROW LEVEL SECURITY;") },
            new DiagnosticResult("TG2004", DiagnosticSeverity.Info).WithSpan("/migrations/001.sql", 2, 1, 2, 47).WithArguments(
                "Row-level security on 'invoices' is enabled but no policy is created for it: every query of a role it applies to sees no rows and every write fails; create the tenant policy, or say so with a comment if denying everything is meant"));

        [Fact]
        public Task A_statement_that_may_have_created_the_policy_leaves_the_table_undecided() => Check("""
            CREATE TABLE invoices (id int, tenant_id uuid);
            CREATE TABLE notes (id int, tenant_id uuid);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
            DO $do$
            DECLARE r record;
            BEGIN
                FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
                    EXECUTE format('CREATE POLICY %I ON %I USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))', r.tablename || '_tenant', r.tablename);
                END LOOP;
            END $do$;
            CREATE TABLE later (id int, tenant_id uuid);
            {|TG2004:ALTER TABLE later ENABLE ROW LEVEL SECURITY|};
            """);

        [Fact]
        public Task A_policy_whose_name_is_known_only_at_run_time_leaves_only_its_table_undecided() => Verify.AnalyzerAsync("""
            using Microsoft.EntityFrameworkCore.Migrations;

            public partial class AddRls : Migration
            {
                private static string PolicyName() => System.Environment.GetEnvironmentVariable("POLICY") ?? "p";

                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("CREATE TABLE invoices (id int, tenant_id uuid)");
                    migrationBuilder.Sql("CREATE TABLE notes (id int, tenant_id uuid)");
                    migrationBuilder.Sql("ALTER TABLE invoices ENABLE ROW LEVEL SECURITY");
                    migrationBuilder.Sql("{|TG2004:ALTER TABLE notes ENABLE ROW LEVEL SECURITY|}");
                    migrationBuilder.Sql($"CREATE POLICY {PolicyName()} ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))");
                }
            }
            """);

        [Fact]
        public Task Policies_on_a_table_whose_rls_is_never_enabled() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", "CREATE TABLE invoices (id int, tenant_id uuid);\nCREATE POLICY invoices_tenant ON invoices USING (tenant_id = current_setting('app.tenant_id', true)::uuid);") },
            Verify.Diagnostic("TG2004").WithSpan("/migrations/001.sql", 2, 1, 2, 107).WithArguments(
                "Policy 'invoices_tenant' on 'invoices' does nothing: row-level security is never enabled on the table, so every role sees every row; add ALTER TABLE invoices ENABLE ROW LEVEL SECURITY and FORCE ROW LEVEL SECURITY"));

        [Fact]
        public Task Policies_after_rls_was_disabled_again() => Check("""
            CREATE TABLE invoices (id int, tenant_id uuid);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            {|TG2004:CREATE POLICY invoices_tenant ON invoices USING (tenant_id = current_setting('app.tenant_id', true)::uuid)|};
            ALTER TABLE invoices DISABLE ROW LEVEL SECURITY;
            """);

        [Fact]
        public Task Rls_with_a_policy_is_quiet() => Check("""
            CREATE TABLE invoices (id int, tenant_id uuid);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = current_setting('app.tenant_id', true)::uuid);
            """);

        [Fact]
        public Task A_policy_in_a_later_migration_is_quiet() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", "CREATE TABLE invoices (id int, tenant_id uuid);\nALTER TABLE invoices ENABLE ROW LEVEL SECURITY;"),
                ("/migrations/002.sql", "CREATE POLICY invoices_tenant ON invoices USING (tenant_id = current_setting('app.tenant_id', true)::uuid);"),
            });

        [Fact]
        public Task A_deliberate_deny_all_table_says_so() => Check("""
            CREATE TABLE secrets (id int, value text);
            -- tenantguard:disable TG2004 no application role may read secrets
            ALTER TABLE secrets ENABLE ROW LEVEL SECURITY;
            """);
    }
}
