using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SwallowedDatabaseErrorAnalyzer, TenantGuard.CodeFixes.Fixes.SwallowedErrorCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    /// <summary>The rethrow variant of TG1003's fix (the default where no logger is in scope).</summary>
    public class TG1003_RethrowCodeFixTests
    {
        private static Task Fix(string source, string fixedSource, string variant = TenantGuard.CodeFixes.Fixes.SwallowedErrorCodeFix.Rethrow) =>
            Verify.CodeFixAsync(source, fixedSource, variant);

        [Fact]
        public Task Appends_rethrow() => Fix(
            """
            class C
            {
                void M(IDbConnection conn, ILogger log)
                {
                    try
                    {
                        conn.Execute("UPDATE t SET a = 1");
                    }
                    {|TG1003:catch (Exception)|}
                    {
                        log.LogWarning("failed");
                    }
                }
            }
            """,
            """
            class C
            {
                void M(IDbConnection conn, ILogger log)
                {
                    try
                    {
                        conn.Execute("UPDATE t SET a = 1");
                    }
                    catch (Exception)
                    {
                        log.LogWarning("failed");
                        throw;
                    }
                }
            }
            """);

        [Fact]
        public Task Fix_all_replaces_trailing_jumps_and_fills_empty_catches() => Fix(
            """
            class C
            {
                bool M(IDbConnection conn, string[] names)
                {
                    foreach (var name in names)
                    {
                        try { conn.Execute("INSERT INTO t (n) VALUES (@name)", new { name }); }
                        {|TG1003:catch|} { continue; }
                    }

                    try { conn.Execute("UPDATE t SET a = 1"); }
                    {|TG1003:catch (DbException)|} { }

                    try { conn.Execute("DELETE FROM t WHERE a = 2"); return true; }
                    {|TG1003:catch (Exception ex)|}
                    {
                        Console.WriteLine("failed");
                        return false;
                    }
                }
            }
            """,
            """
            class C
            {
                bool M(IDbConnection conn, string[] names)
                {
                    foreach (var name in names)
                    {
                        try { conn.Execute("INSERT INTO t (n) VALUES (@name)", new { name }); }
                        catch { throw; }
                    }

                    try { conn.Execute("UPDATE t SET a = 1"); }
                    catch (DbException) { throw; }

                    try { conn.Execute("DELETE FROM t WHERE a = 2"); return true; }
                    catch (Exception ex)
                    {
                        Console.WriteLine("failed");
                        throw;
                    }
                }
            }
            """,
            TenantGuard.CodeFixes.Fixes.SwallowedErrorCodeFix.Default); // no logger in scope: the default rethrows
    }
}
