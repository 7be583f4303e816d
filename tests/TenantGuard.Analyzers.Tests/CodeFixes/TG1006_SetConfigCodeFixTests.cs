using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SetWithBindParameterAnalyzer, TenantGuard.CodeFixes.Fixes.SetConfigCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1006_SetConfigCodeFixTests
    {
        [Fact]
        public Task Dapper() => Verify.CodeFixAsync(
            """
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.ExecuteAsync("{|TG1006:SET LOCAL app.tenant_id = @t|}", new { t = tenant }, tx);
            }
            """,
            """
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);
            }
            """, TenantGuard.CodeFixes.Fixes.SetConfigCodeFix.EquivalenceKey);

        [Fact]
        public Task Fix_all_in_multi_statement_text_and_efcore() => Verify.CodeFixAsync(
            """
            class AppDb : DbContext { }

            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, AppDb db, string tenant, string role)
                {
                    conn.Execute("{|TG1006:SET LOCAL app.role TO :r|}; {|TG1006:set local app.tenant_id = :t|}", new { r = role, t = tenant }, tx);
                    using var efTx = db.Database.BeginTransaction();
                    db.Database.ExecuteSql($"{|TG1006:SET LOCAL app.tenant_id = {tenant}|}");
                    efTx.Commit();
                }
            }
            """,
            """
            class AppDb : DbContext { }

            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, AppDb db, string tenant, string role)
                {
                    conn.Execute("SELECT set_config('app.role', :r, true); SELECT set_config('app.tenant_id', :t, true)", new { r = role, t = tenant }, tx);
                    using var efTx = db.Database.BeginTransaction();
                    db.Database.ExecuteSql($"SELECT set_config('app.tenant_id', {tenant}, true)");
                    efTx.Commit();
                }
            }
            """);

        [Fact]
        public Task Set_role_has_no_fix() => Verify.NoFixAsync("""
            class C
            {
                void M(IDbConnection conn, string r) => conn.Execute("{|TG1006:SET ROLE @r|}", new { r });
            }
            """);
    }
}
