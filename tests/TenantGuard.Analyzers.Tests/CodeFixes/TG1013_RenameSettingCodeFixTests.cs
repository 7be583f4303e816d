using System;
using System.Threading.Tasks;
using TenantGuard.Analyzers.Tests.Rules;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.UnreadSettingAnalyzer, TenantGuard.CodeFixes.Fixes.RenameSettingCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1013_RenameSettingCodeFixTests
    {
        private static (string, string)[] Migrations(string sql) => new[] { ("/migrations/001_schema.sql", sql) };

        [Fact]
        public Task Renames_the_set_config_name() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config({|TG1013:'app.current_tenant'|}, @tenant, true)", new { tenant }, tx);
            }
            """,
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config('app.current_tenant_id', @tenant, true)", new { tenant }, tx);
            }
            """,
            Array.Empty<(string, string)>(),
            Migrations(TG1013_UnreadSettingTests.ThroughFunction),
            equivalenceKey: TenantGuard.CodeFixes.Fixes.RenameSettingCodeFix.EquivalenceKey);

        [Fact]
        public Task Fix_all_renames_every_set_site_set_statements_and_rls_options() => Verify.CodeFixAsync(
            """
            class AppDb : DbContext { }

            class C
            {
                void A(NpgsqlConnection conn, NpgsqlTransaction tx) =>
                    conn.Execute("SET LOCAL {|TG1013:app.tenant|} = '7c9e6679-7425-40de-944b-e07fc1f90ae7'", transaction: tx);

                void B(AppDb db, string tenant)
                {
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSql($"SELECT set_config({|TG1013:'app.tenantid'|}, {tenant}, true)");
                    tx.Commit();
                }

                TenantGuard.Rls.RlsOptions Options() => new() { TenantSetting = {|TG1013:"app.tenant"|} };
            }
            """,
            """
            class AppDb : DbContext { }

            class C
            {
                void A(NpgsqlConnection conn, NpgsqlTransaction tx) =>
                    conn.Execute("SET LOCAL app.tenant_id = '7c9e6679-7425-40de-944b-e07fc1f90ae7'", transaction: tx);

                void B(AppDb db, string tenant)
                {
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSql($"SELECT set_config('app.tenant_id', {tenant}, true)");
                    tx.Commit();
                }

                TenantGuard.Rls.RlsOptions Options() => new() { TenantSetting = "app.tenant_id" };
            }
            """,
            Array.Empty<(string, string)>(),
            Migrations(TG1013_UnreadSettingTests.TenantId));

        [Fact]
        public Task No_fix_when_no_one_read_setting_is_the_evident_intent() => Verify.NoFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config({|TG1013:'app.tenant'|}, @tenant, true)", new { tenant }, tx);
            }
            """,
            Array.Empty<(string, string)>(),
            Migrations("""
                CREATE TABLE notes (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, org_id uuid NOT NULL);
                ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
                CREATE POLICY notes_tenant ON notes USING (tenant_id = NULLIF(current_setting('app.current_tenant_id', true), '')::uuid);
                CREATE POLICY notes_org ON notes AS RESTRICTIVE USING (org_id = NULLIF(current_setting('app.current_org', true), '')::uuid);
                """));
    }
}
