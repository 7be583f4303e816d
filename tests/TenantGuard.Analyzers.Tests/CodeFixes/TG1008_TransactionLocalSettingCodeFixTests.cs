using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SessionTenantSettingAnalyzer, TenantGuard.CodeFixes.Fixes.TransactionLocalSettingCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1008_TransactionLocalSettingCodeFixTests
    {
        [Fact]
        public Task Set_config_false_becomes_true() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string t) =>
                    conn.Execute("SELECT {|TG1008:set_config('app.tenant_id', @t, false)|}", new { t }, tx);
            }
            """,
            """
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string t) =>
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t }, tx);
            }
            """, TenantGuard.CodeFixes.Fixes.TransactionLocalSettingCodeFix.EquivalenceKey);

        [Fact]
        public Task Fix_all_set_and_set_session() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string t)
                {
                    conn.Execute("{|TG1008:SET app.tenant_id = '42'|}", transaction: tx);
                    conn.Execute("{|TG1008:set session app.tenant_id to '42'|}", transaction: tx);
                    conn.Execute("SELECT {|TG1008:pg_catalog.set_config('app.tenant_id', coalesce(@t, ''), 'off')|}", new { t }, tx);
                }
            }
            """,
            """
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string t)
                {
                    conn.Execute("SET LOCAL app.tenant_id = '42'", transaction: tx);
                    conn.Execute("set local app.tenant_id to '42'", transaction: tx);
                    conn.Execute("SELECT pg_catalog.set_config('app.tenant_id', coalesce(@t, ''), true)", new { t }, tx);
                }
            }
            """);
    }
}
