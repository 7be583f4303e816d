using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SwallowedDatabaseErrorAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1003_SwallowedDatabaseErrorTests
    {
        // ---- flagged ----

        [Fact]
        public Task Empty_catch_all() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn)
                {
                    try { conn.Execute("INSERT INTO contacts (name) VALUES ('x')"); }
                    {|TG1003:catch|} { }
                }
            }
            """);

        [Fact]
        public Task Catch_exception_without_using_it() => Verify.AnalyzerAsync("""
            class C
            {
                async Task<bool> M(NpgsqlConnection conn)
                {
                    try
                    {
                        await conn.ExecuteAsync("DELETE FROM contacts");
                        return true;
                    }
                    {|TG1003:catch (Exception ex)|}
                    {
                        return false;
                    }
                }
            }
            """);

        [Fact]
        public Task Logging_a_message_without_the_exception() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, ILogger log, int[] ids)
                {
                    foreach (var id in ids)
                    {
                        try
                        {
                            using var cmd = new NpgsqlCommand("DELETE FROM contacts WHERE id = @id", conn);
                            cmd.ExecuteNonQuery();
                        }
                        {|TG1003:catch (PostgresException)|}
                        {
                            log.LogWarning("delete failed");
                        }
                    }
                }
            }
            """);

        [Fact]
        public Task Npgsql_exception() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    try
                    {
                        await using var cmd = ds.CreateCommand("SELECT 1");
                        await cmd.ExecuteScalarAsync();
                    }
                    {|TG1003:catch (NpgsqlException e)|}
                    {
                        Console.WriteLine("oops");
                    }
                }
            }
            """);

        [Fact]
        public Task Db_exception_in_batch() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    try
                    {
                        using var batch = new NpgsqlBatch(conn) { BatchCommands = { new("SELECT 1") } };
                        batch.ExecuteNonQuery();
                    }
                    {|TG1003:catch (DbException)|}
                    {
                    }
                }
            }
            """);

        [Fact]
        public Task Efcore_raw_sql() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                async Task M(AppDb db)
                {
                    try { await db.Database.ExecuteSqlRawAsync("DELETE FROM t"); }
                    {|TG1003:catch (Exception)|} { }
                }
            }
            """);

        [Fact]
        public Task Swallow_in_lambda() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, List<int> ids) => ids.ForEach(id =>
                {
                    try { conn.Execute("DELETE FROM t WHERE id = @id", new { id }); }
                    {|TG1003:catch (Exception ex)|} { _ = id; }
                });
            }
            """);

        [Fact]
        public Task Second_catch_swallows() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn)
                {
                    try { conn.Execute("SELECT 1"); }
                    catch (TimeoutException ex) { throw new InvalidOperationException("timeout", ex); }
                    {|TG1003:catch (Exception)|} { }
                }
            }
            """);

        [Fact]
        public Task Continue_in_loop() => Verify.AnalyzerAsync("""
            class C
            {
                int M(IDbConnection conn, string[] names)
                {
                    var created = 0;
                    foreach (var name in names)
                    {
                        try { created += conn.Execute("INSERT INTO contacts (name) VALUES (@name)", new { name }); }
                        {|TG1003:catch|} { continue; }
                    }

                    return created;
                }
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Rethrow() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn)
                {
                    try { conn.Execute("SELECT 1"); }
                    catch (Exception) { Console.WriteLine("failed"); throw; }
                }
            }
            """);

        [Fact]
        public Task Throw_wrapped() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn)
                {
                    try { conn.Execute("SELECT 1"); }
                    catch (PostgresException) { throw new InvalidOperationException("import failed"); }
                }
            }
            """);

        [Fact]
        public Task Log_the_exception() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, ILogger log)
                {
                    try { conn.Execute("SELECT 1"); }
                    catch (Exception ex) { log.LogError(ex, "import failed"); }
                }
            }
            """);

        [Fact]
        public Task Store_or_return_the_exception() => Verify.AnalyzerAsync("""
            class C
            {
                readonly List<Exception> _errors = new();

                Exception? M(IDbConnection conn)
                {
                    try { conn.Execute("SELECT 1"); }
                    catch (DbException ex) { _errors.Add(ex); }

                    try { conn.Execute("SELECT 2"); return null; }
                    catch (Exception ex) { return ex; }
                }
            }
            """);

        [Fact]
        public Task Exception_filter_is_a_deliberate_choice() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn)
                {
                    try { conn.Execute("INSERT INTO t (id) VALUES (1)"); }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation) { }
                }
            }
            """);

        [Fact]
        public Task Catch_of_unrelated_exception_type() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(IDbConnection conn, CancellationToken ct)
                {
                    try { await conn.ExecuteAsync(new CommandDefinition("SELECT pg_sleep(1)", cancellationToken: ct)); }
                    catch (OperationCanceledException) { }
                }
            }
            """);

        [Fact]
        public Task Try_without_sql() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn)
                {
                    try { Console.WriteLine("no sql here"); }
                    catch { }

                    conn.Execute("SELECT 1");
                }
            }
            """);

        [Fact]
        public Task Sql_only_inside_a_lambda_in_the_try() => Verify.AnalyzerAsync("""
            class C
            {
                Func<int>? M(IDbConnection conn)
                {
                    try { return () => conn.Execute("SELECT 1"); }
                    catch { return null; }
                }
            }
            """);

        [Fact]
        public Task Exception_passed_to_a_result() => Verify.AnalyzerAsync("""
            record Result(bool Ok, string? Error);

            class C
            {
                Result M(IDbConnection conn)
                {
                    try { conn.Execute("SELECT 1"); return new Result(true, null); }
                    catch (Exception ex) { return new Result(false, ex.Message); }
                }
            }
            """);
    }
}
