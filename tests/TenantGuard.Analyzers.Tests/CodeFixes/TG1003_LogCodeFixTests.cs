using System.Threading.Tasks;
using Xunit;
using TenantGuard.CodeFixes.Fixes;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SwallowedDatabaseErrorAnalyzer, TenantGuard.CodeFixes.Fixes.SwallowedErrorCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    /// <summary>TG1003's logging fixes: a Try method keeps its promise, and nothing is swallowed silently.</summary>
    public class TG1003_LogCodeFixTests
    {
        private const string TryDelete = """
            class Repository(ILogger<Repository> logger, NpgsqlDataSource ds)
            {
                public async Task<bool> TryDeleteAsync(Guid id)
                {
                    try
                    {
                        await using var conn = await ds.OpenConnectionAsync();
                        await conn.ExecuteAsync("DELETE FROM contacts WHERE id = @id", new { id });
                        return true;
                    }
                    {|TG1003:catch (NpgsqlException)|}
                    {
                        return false;
                    }
                }
            }
            """;

        [Fact]
        public Task Log_and_rethrow() => Verify.CodeFixAsync(
            TryDelete,
            """
            class Repository(ILogger<Repository> logger, NpgsqlDataSource ds)
            {
                public async Task<bool> TryDeleteAsync(Guid id)
                {
                    try
                    {
                        await using var conn = await ds.OpenConnectionAsync();
                        await conn.ExecuteAsync("DELETE FROM contacts WHERE id = @id", new { id });
                        return true;
                    }
                    catch (NpgsqlException ex)
                    {
                        logger.LogError(ex, "{Method} failed", nameof(TryDeleteAsync));
                        throw;
                    }
                }
            }
            """,
            SwallowedErrorCodeFix.LogAndRethrow);

        [Fact]
        public Task Catch_without_a_declaration_gets_one() => Verify.CodeFixAsync(
            """
            class C
            {
                ILogger _logger = null!;

                void M(IDbConnection conn)
                {
                    try
                    {
                        conn.Execute("UPDATE t SET a = 1");
                    }
                    {|TG1003:catch|}
                    {
                        Console.WriteLine("failed");
                    }
                }
            }
            """,
            """
            class C
            {
                ILogger _logger = null!;

                void M(IDbConnection conn)
                {
                    try
                    {
                        conn.Execute("UPDATE t SET a = 1");
                    }
                    catch (Exception ex)
                    {
                        Console.WriteLine("failed");
                        _logger.LogError(ex, "{Method} failed", nameof(M));
                        throw;
                    }
                }
            }
            """,
            SwallowedErrorCodeFix.LogAndRethrow);

        [Fact]
        public Task No_logging_fix_without_a_logger_in_scope() => Verify.NoFixAsync(
            """
            class C
            {
                bool M(IDbConnection conn)
                {
                    try
                    {
                        conn.Execute("UPDATE t SET a = 1");
                        return true;
                    }
                    {|TG1003:catch (NpgsqlException)|}
                    {
                        return false;
                    }
                }
            }
            """,
            SwallowedErrorCodeFix.LogAndKeepResult);

        [Fact]
        public Task Default_with_a_logger_logs_and_keeps_the_result() => Verify.CodeFixAsync(
            TryDelete,
            """
            class Repository(ILogger<Repository> logger, NpgsqlDataSource ds)
            {
                public async Task<bool> TryDeleteAsync(Guid id)
                {
                    try
                    {
                        await using var conn = await ds.OpenConnectionAsync();
                        await conn.ExecuteAsync("DELETE FROM contacts WHERE id = @id", new { id });
                        return true;
                    }
                    catch (NpgsqlException ex)
                    {
                        logger.LogError(ex, "{Method} failed", nameof(TryDeleteAsync));
                        return false;
                    }
                }
            }
            """,
            SwallowedErrorCodeFix.Default);

        [Fact]
        public Task Empty_handler_logs_on_lines_of_its_own() => Verify.CodeFixAsync(
            """
            class C(ILogger<C> logger)
            {
                void M(IDbConnection conn)
                {
                    try
                    {
                        conn.Execute("DELETE FROM scratch");
                    }
                    {|TG1003:catch (NpgsqlException)|}
                    {
                    }
                }
            }
            """,
            """
            class C(ILogger<C> logger)
            {
                void M(IDbConnection conn)
                {
                    try
                    {
                        conn.Execute("DELETE FROM scratch");
                    }
                    catch (NpgsqlException ex)
                    {
                        logger.LogError(ex, "{Method} failed", nameof(M));
                    }
                }
            }
            """,
            SwallowedErrorCodeFix.Default);

        private const string AroundTheSetting = """
            class C(ILogger<C> logger)
            {
                void M(NpgsqlConnection conn, string tenant)
                {
                    try
                    {
                        conn.Execute("SELECT set_config('app.tenant_id', @tenant, false)", new { tenant });
                    }
                    {|TG1003:catch (Exception ex)|}
                    {
                        Console.WriteLine($"Could not set session variable: {ex.Message}");
                    }

                    conn.Query<int>("SELECT id FROM contacts");
                }
            }
            """;

        [Fact]
        public Task Around_the_tenant_setting_the_default_logs_and_rethrows() => Verify.CodeFixAsync(
            AroundTheSetting,
            """
            class C(ILogger<C> logger)
            {
                void M(NpgsqlConnection conn, string tenant)
                {
                    try
                    {
                        conn.Execute("SELECT set_config('app.tenant_id', @tenant, false)", new { tenant });
                    }
                    catch (Exception ex)
                    {
                        Console.WriteLine($"Could not set session variable: {ex.Message}");
                        logger.LogError(ex, "{Method} failed", nameof(M));
                        throw;
                    }

                    conn.Query<int>("SELECT id FROM contacts");
                }
            }
            """,
            SwallowedErrorCodeFix.Default,
            stillReported: new[] { "TG1008" }); // the session-level setting is TG1008's finding, not this fix's

        [Fact]
        public Task Around_the_tenant_setting_keeping_the_result_is_not_offered() => Verify.NoFixAsync(
            AroundTheSetting,
            SwallowedErrorCodeFix.LogAndKeepResult);
    }
}
