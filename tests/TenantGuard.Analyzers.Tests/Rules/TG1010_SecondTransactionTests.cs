using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SecondTransactionAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1010_SecondTransactionTests
    {
        // ---- flagged ----

        [Fact]
        public Task Second_begin_on_the_same_connection() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    await using var tx2 = await {|TG1010:conn.BeginTransactionAsync()|};
                    await conn.ExecuteAsync("DELETE FROM contacts", transaction: tx2);
                    await tx2.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Message_names_the_first_transaction() => Verify.AnalyzerAsync(
            """
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    var tx = conn.BeginTransaction();
                    var again = conn.BeginTransaction();
                }
            }
            """,
            Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG1010").WithSpan(7, 21, 7, 44).WithSpan(6, 18, 6, 41)
                .WithArguments("NpgsqlConnection.BeginTransaction", "conn", "on every path", "6"));

        [Fact]
        public Task Begin_in_a_loop_without_commit() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string[] names)
                {
                    conn.Open();
                    foreach (var name in names)
                    {
                        var tx = {|TG1010:conn.BeginTransaction()|};
                        conn.Execute("INSERT INTO tags (name) VALUES (@name)", new { name }, tx);
                    }
                }
            }
            """);

        [Fact]
        public Task Begin_after_a_begin_in_sql_on_the_same_connection() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    conn.Execute("BEGIN");
                    var tx = {|TG1010:conn.BeginTransaction()|};
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Begin_in_sql_on_another_connection() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var first = ds.OpenConnection();
                    using var second = ds.OpenConnection();
                    first.Execute("BEGIN");
                    var tx = second.BeginTransaction();
                    tx.Commit();
                    first.Execute("COMMIT");
                }
            }
            """);

        [Fact]
        public Task Open_on_one_branch() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds, bool batch)
                {
                    using var conn = ds.OpenConnection();
                    NpgsqlTransaction? outer = null;
                    if (batch)
                    {
                        outer = conn.BeginTransaction();
                    }

                    using var tx = {|TG1010:conn.BeginTransaction()|};
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Ef_core_context() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                async Task M(AppDb db)
                {
                    await using var tx = await db.Database.BeginTransactionAsync();
                    await db.Database.ExecuteSqlRawAsync("DELETE FROM contacts");
                    await using var inner = await {|TG1010:db.Database.BeginTransactionAsync()|};
                }
            }
            """);

        [Fact]
        public Task Begin_after_a_savepoint_is_still_a_second_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    tx.Save("row");
                    tx.Release("row");
                    using var tx2 = {|TG1010:conn.BeginTransaction()|};
                }
            }
            """);

        // ---- clean ----

        [Fact]
        public Task Begin_guarded_by_current_transaction() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb received)
                {
                    using var db = new AppDb();
                    if (db.Database.CurrentTransaction == null)
                    {
                        db.Database.BeginTransaction();
                    }

                    db.Database.ExecuteSqlRaw("DELETE FROM contacts");
                    if (db.Database.CurrentTransaction is null)
                    {
                        db.Database.BeginTransaction();
                    }

                    if (received.Database.CurrentTransaction is not null)
                    {
                        return;
                    }

                    received.Database.BeginTransaction();
                }
            }
            """);

        [Fact]
        public Task Commit_then_begin() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    var first = conn.BeginTransaction();
                    conn.Execute("DELETE FROM a", transaction: first);
                    first.Commit();
                    var second = conn.BeginTransaction();
                    conn.Execute("DELETE FROM b", transaction: second);
                    second.Rollback();
                }
            }
            """);

        [Fact]
        public Task Using_block_ends_the_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using (var first = await conn.BeginTransactionAsync())
                    {
                        await conn.ExecuteAsync("DELETE FROM a", transaction: first);
                    }

                    using (var second = conn.BeginTransaction())
                    {
                        conn.Execute("DELETE FROM b", transaction: second);
                        second.Commit();
                    }
                }
            }
            """);

        [Fact]
        public Task Loop_with_a_using_transaction_per_item() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string[] names)
                {
                    conn.Open();
                    foreach (var name in names)
                    {
                        using var tx = conn.BeginTransaction();
                        if (name.Length == 0)
                        {
                            continue; // disposed: rolled back
                        }

                        conn.Execute("INSERT INTO tags (name) VALUES (@name)", new { name }, tx);
                        tx.Commit();
                    }
                }
            }
            """);

        [Fact]
        public Task Different_connections() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var a = ds.OpenConnection();
                    using var b = ds.OpenConnection();
                    using var ta = a.BeginTransaction();
                    using var tb = b.BeginTransaction();
                    ta.Commit();
                    tb.Commit();
                }
            }
            """);

        [Fact]
        public Task Received_connection_is_not_known_to_have_one() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    using var tx = conn.BeginTransaction();
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Retry_loop_disposes_what_failed() => Verify.AnalyzerAsync("""
            class C
            {
                Func<CancellationToken, Task<DbConnection>> _open = null!;

                async Task<(DbConnection, DbTransaction)> BeginAsync(CancellationToken cancellationToken)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        DbConnection? connection = null;
                        DbTransaction? transaction = null;
                        try
                        {
                            connection = await _open(cancellationToken);
                            transaction = await connection.BeginTransactionAsync(cancellationToken);
                            return (connection, transaction);
                        }
                        catch (Exception) when (attempt == 0)
                        {
                            transaction?.Dispose();
                            connection?.Dispose();
                        }
                    }
                }
            }
            """);

        [Fact]
        public Task Transaction_disposed_explicitly() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    var tx = conn.BeginTransaction();
                    tx.Dispose();
                    var again = conn.BeginTransaction();
                    again.Commit();
                }
            }
            """);
    }
}
