using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.AbortedTransactionReuseAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1004_AbortedTransactionReuseTests
    {
        // ---- flagged ----

        [Fact]
        public Task Import_loop_swallows_and_commits() => Verify.AnalyzerAsync("""
            class C
            {
                async Task<int> Import(NpgsqlDataSource ds, IEnumerable<string> names, ILogger log)
                {
                    var created = 0;
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    foreach (var name in names)
                    {
                        try
                        {
                            created += await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
                        }
                        {|TG1004:catch (Exception ex)|}
                        {
                            log.LogWarning(ex, "row failed");
                        }
                    }

                    await tx.CommitAsync();
                    return created;
                }
            }
            """);

        [Fact]
        public Task Catch_then_commit_without_loop() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, ILogger log)
                {
                    using var tx = conn.BeginTransaction();
                    try { conn.Execute("UPDATE contacts SET name = 'x'", transaction: tx); }
                    {|TG1004:catch (PostgresException ex)|} { log.LogError(ex, "update failed"); }
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Error_row_written_with_the_aborted_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string payload)
                {
                    try { conn.Execute("INSERT INTO approvals (payload) VALUES (CAST(@p AS jsonb))", new { p = payload }, tx); }
                    {|TG1004:catch (Exception ex)|}
                    {
                        conn.Execute("INSERT INTO import_errors (message) VALUES (@m)", new { m = ex.Message }, tx);
                    }
                }
            }
            """);

        [Fact]
        public Task Npgsql_commands_enlisted_implicitly() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, int[] ids, ILogger log)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    foreach (var id in ids)
                    {
                        await using var cmd = new NpgsqlCommand("DELETE FROM todo_items WHERE id = @id", conn);
                        cmd.Parameters.AddWithValue("id", id);
                        try { await cmd.ExecuteNonQueryAsync(); }
                        {|TG1004:catch (NpgsqlException ex)|} { log.LogError(ex, "delete failed"); }
                    }

                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Received_transaction_in_a_loop() => Verify.AnalyzerAsync("""
            class C
            {
                int M(IDbConnection conn, IDbTransaction tx, string[] names, List<Exception> errors)
                {
                    var n = 0;
                    for (var i = 0; i < names.Length; i++)
                    {
                        try { n += conn.Execute("INSERT INTO contacts (name) VALUES (@n)", new { n = names[i] }, tx); }
                        {|TG1004:catch (DbException ex)|} { errors.Add(ex); }
                    }

                    return n;
                }
            }
            """);

        [Fact]
        public Task Efcore_transaction() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb db, int[] ids, ILogger log)
                {
                    using var tx = db.Database.BeginTransaction();
                    foreach (var id in ids)
                    {
                        try { db.Database.ExecuteSqlRaw("DELETE FROM t WHERE id = {0}", id); }
                        {|TG1004:catch (Exception ex)|} { log.LogError(ex, "failed"); }
                    }

                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Unique_violation_filter_still_aborts_the_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string[] keys)
                {
                    using var tx = conn.BeginTransaction();
                    foreach (var key in keys)
                    {
                        try { conn.Execute("INSERT INTO idempotency_keys (key) VALUES (@key)", new { key }, tx); }
                        {|TG1004:catch (PostgresException e)|} when (e.SqlState == PostgresErrorCodes.UniqueViolation) { }
                    }

                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Catch_all_and_continue_in_batch() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string[][] chunks)
                {
                    using var tx = conn.BeginTransaction();
                    foreach (var chunk in chunks)
                    {
                        try
                        {
                            using var batch = new NpgsqlBatch(conn, tx) { BatchCommands = { new("INSERT INTO t VALUES (1)") } };
                            batch.ExecuteNonQuery();
                        }
                        {|TG1004:catch|} { continue; }
                    }

                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Transaction_begun_in_sql() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds, ILogger log)
                {
                    using var conn = ds.OpenConnection();
                    conn.Execute("BEGIN");
                    try { conn.Execute("UPDATE t SET a = 1"); }
                    {|TG1004:catch (Exception ex)|} { log.LogError(ex, "x"); }
                    conn.Execute("COMMIT");
                }
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Savepoint_per_row() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string[] names, ILogger log)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    foreach (var name in names)
                    {
                        await tx.SaveAsync("row");
                        try
                        {
                            await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
                            await tx.ReleaseAsync("row");
                        }
                        catch (PostgresException ex)
                        {
                            await tx.RollbackAsync("row");
                            log.LogWarning(ex, "row skipped");
                        }
                    }

                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Transaction_per_row() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string[] names, ILogger log)
                {
                    foreach (var name in names)
                    {
                        using var tx = conn.BeginTransaction();
                        try
                        {
                            conn.Execute("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
                            tx.Commit();
                        }
                        catch (Exception ex)
                        {
                            log.LogWarning(ex, "row skipped");
                        }
                    }
                }
            }
            """);

        [Fact]
        public Task Catch_rethrows() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, ILogger log)
                {
                    using var tx = conn.BeginTransaction();
                    try { conn.Execute("UPDATE t SET a = 1", transaction: tx); }
                    catch (Exception ex) { log.LogError(ex, "failed"); throw; }
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Catch_rolls_back() => Verify.AnalyzerAsync("""
            class C
            {
                async Task<bool> M(NpgsqlConnection conn, ILogger log)
                {
                    await using var tx = await conn.BeginTransactionAsync();
                    try
                    {
                        await conn.ExecuteAsync("UPDATE t SET a = 1", transaction: tx);
                    }
                    catch (Exception ex)
                    {
                        await tx.RollbackAsync();
                        log.LogError(ex, "failed");
                        return false;
                    }

                    await tx.CommitAsync();
                    return true;
                }
            }
            """);

        [Fact]
        public Task Catch_returns() => Verify.AnalyzerAsync("""
            class C
            {
                int M(NpgsqlConnection conn, ILogger log)
                {
                    using var tx = conn.BeginTransaction();
                    try { conn.Execute("UPDATE t SET a = 1", transaction: tx); }
                    catch (Exception ex) { log.LogError(ex, "failed"); return 0; }
                    tx.Commit();
                    return 1;
                }
            }
            """);

        [Fact]
        public Task No_explicit_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds, string[] names, ILogger log)
                {
                    using var conn = ds.OpenConnection();
                    foreach (var name in names)
                    {
                        try { conn.Execute("INSERT INTO contacts (name) VALUES (@name)", new { name }); }
                        catch (Exception ex) { log.LogWarning(ex, "row skipped"); }
                    }
                }
            }
            """);

        [Fact]
        public Task Transaction_begun_inside_the_try() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, ILogger log)
                {
                    try
                    {
                        using var tx = conn.BeginTransaction();
                        conn.Execute("UPDATE t SET a = 1", transaction: tx);
                        tx.Commit();
                    }
                    catch (Exception ex) { log.LogError(ex, "failed"); }

                    conn.Execute("SELECT 1");
                }
            }
            """);

        [Fact]
        public Task Sql_savepoints() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string[] names, ILogger log)
                {
                    using var tx = conn.BeginTransaction();
                    foreach (var name in names)
                    {
                        conn.Execute("SAVEPOINT row", transaction: tx);
                        try { conn.Execute("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx); }
                        catch (Exception ex)
                        {
                            conn.Execute("ROLLBACK TO SAVEPOINT row", transaction: tx);
                            log.LogWarning(ex, "row skipped");
                        }
                    }

                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Unrelated_exception_type() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlConnection conn, CancellationToken ct)
                {
                    await using var tx = await conn.BeginTransactionAsync(ct);
                    try { await conn.ExecuteAsync(new CommandDefinition("SELECT pg_sleep(1)", transaction: tx, cancellationToken: ct)); }
                    catch (OperationCanceledException) { }
                    await tx.CommitAsync(CancellationToken.None);
                }
            }
            """);

        [Fact]
        public Task Break_out_and_never_use_the_transaction_again() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string[] names, ILogger log)
                {
                    using var tx = conn.BeginTransaction();
                    foreach (var name in names)
                    {
                        try { conn.Execute("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx); }
                        catch (Exception ex) { log.LogError(ex, "stopping"); break; }
                    }
                }
            }
            """);
    }
}
