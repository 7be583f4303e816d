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
                        await using var cmd = ds.CreateCommand("UPDATE t SET a = 1");
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
                        using var batch = new NpgsqlBatch(conn) { BatchCommands = { new("UPDATE t SET a = 1") } };
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
                    try { conn.Execute("UPDATE t SET a = 1"); }
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
                    try { conn.Execute("UPDATE t SET a = 1"); }
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
                    try { conn.Execute("UPDATE t SET a = 1"); }
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
                    try { conn.Execute("UPDATE t SET a = 1"); }
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
                    try { conn.Execute("UPDATE t SET a = 1"); }
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

                    conn.Execute("UPDATE t SET a = 1");
                }
            }
            """);

        [Fact]
        public Task Sql_only_inside_a_lambda_in_the_try() => Verify.AnalyzerAsync("""
            class C
            {
                Func<int>? M(IDbConnection conn)
                {
                    try { return () => conn.Execute("UPDATE t SET a = 1"); }
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
                    try { conn.Execute("UPDATE t SET a = 1"); return new Result(true, null); }
                    catch (Exception ex) { return new Result(false, ex.Message); }
                }
            }
            """);

        // ---- the tenant setting itself ----

        [Fact]
        public Task Handler_around_the_tenant_setting_that_prints_and_carries_on() => Verify.AnalyzerAsync("""
            class C
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
                    }

                    conn.Query<int>("SELECT id FROM contacts");
                }
            }
            """,
            new (string, string)[0],
            Verify.Diagnostic("TG1003").WithSpan(9, 9, 9, 29).WithArguments("its try block applies the tenant setting 'app.tenant_id', and when that fails the code after the catch runs without it, logged or not; rethrow, or leave the method"));

        [Fact]
        public Task Handler_around_the_tenant_setting_that_logs_the_exception() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlConnection conn, string tenant, ILogger log)
                {
                    try { await conn.ExecuteAsync("SET app.tenant_id = '42'"); }
                    {|TG1003:catch (PostgresException ex)|} { log.LogError(ex, "tenant"); }
                    await conn.ExecuteAsync("DELETE FROM contacts");
                }
            }
            """);

        [Fact]
        public Task Handler_around_the_tenant_setting_that_leaves() => Verify.AnalyzerAsync("""
            class C
            {
                async Task<bool> M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant, ILogger log)
                {
                    try { await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx); }
                    catch (PostgresException ex) { log.LogError(ex, "tenant"); return false; }
                    try { await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx); }
                    catch (PostgresException ex) { log.LogError(ex, "tenant"); throw; }
                    await conn.ExecuteAsync("DELETE FROM contacts", transaction: tx);
                    return true;
                }
            }
            """);

        [Fact]
        public Task Handler_around_a_whole_unit_of_work_that_logs() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant, ILogger log)
                {
                    try
                    {
                        await using var conn = await ds.OpenConnectionAsync();
                        await using var tx = await conn.BeginTransactionAsync();
                        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
                        await conn.ExecuteAsync("DELETE FROM contacts", transaction: tx);
                        await tx.CommitAsync();
                    }
                    catch (PostgresException ex) { log.LogError(ex, "cleanup failed"); }
                }
            }
            """);

        [Fact]
        public Task Handler_around_the_tenant_setting_followed_by_a_return() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(DbConnection connection, Guid? tenantId, ILogger log)
                {
                    if (!tenantId.HasValue)
                    {
                        try
                        {
                            using var command = connection.CreateCommand();
                            command.CommandText = "SET app.tenant_id = '';";
                            await command.ExecuteNonQueryAsync();
                        }
                        catch (Exception ex) { log.LogError(ex, "Failed to clear app.tenant_id"); }
                        return;
                    }

                    using var verify = connection.CreateCommand();
                    verify.CommandText = "SELECT current_setting('app.tenant_id', true)";
                    await verify.ExecuteScalarAsync();
                }
            }
            """);

        [Fact]
        public Task Silent_handler_around_a_setting_and_a_write_is_still_swallowing() => Verify.AnalyzerAsync("""
            class C
            {
                async Task<bool> M(NpgsqlDataSource ds, string tenant, string name)
                {
                    try
                    {
                        await using var conn = await ds.OpenConnectionAsync();
                        await using var tx = await conn.BeginTransactionAsync();
                        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
                        var deleted = await conn.ExecuteAsync("DELETE FROM contacts WHERE name = @name", new { name }, tx);
                        await tx.CommitAsync();
                        return deleted == 1;
                    }
                    {|TG1003:catch (NpgsqlException)|}
                    {
                        return false;
                    }
                }
            }
            """);

        // ---- cleanup idioms and tests that expect the failure ----

        [Fact]
        public Task Ddl_cleanup_is_not_reported() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection connection)
                {
                    try { connection.Execute("DROP TABLE Persons"); } catch { /* don't care */ }
                    try { connection.Execute("create table if not exists t (i int)"); } catch (Exception) { }
                    try { connection.Execute("TRUNCATE t; DROP TABLE IF EXISTS u"); } catch { }
                    try { connection.Execute("create table Issue426_Test (Id int not null, Time time not null)"); } catch { }
                    try { connection.Execute("CREATE TYPE ReminderRuleType AS TABLE (id int NOT NULL)"); } catch { }
                }
            }
            """);

        [Fact]
        public Task A_read_with_a_fallback_is_not_reported() => Verify.AnalyzerAsync("""
            class C
            {
                static int Level;

                async Task<int?> Connections(NpgsqlConnection conn)
                {
                    try
                    {
                        await using var command = conn.CreateCommand();
                        command.CommandText = "SELECT COUNT(*)::int FROM pg_stat_activity WHERE datname = current_database();";
                        return (int?)await command.ExecuteScalarAsync();
                    }
                    catch
                    {
                        return null;
                    }
                }

                void Probe(IDbConnection conn)
                {
                    try { Level = conn.QuerySingle<int>("SELECT compatibility_level FROM sys.databases where name = DB_NAME()"); }
                    catch { /* don't care */ }
                }
            }
            """);

        [Fact]
        public Task Cleanup_mixed_with_work_is_reported() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection connection)
                {
                    try { connection.Execute("DROP TABLE t"); connection.Execute("INSERT INTO u VALUES (1)"); } {|TG1003:catch|} { }
                }
            }
            """);

        [Fact]
        public Task Test_method_that_expects_the_failure_and_asserts() => Verify.AnalyzerAsync("""
            using Xunit;

            public class Tests
            {
                [Fact]
                public void Rejects_duplicates()
                {
                    using var conn = new NpgsqlConnection("");
                    try
                    {
                        conn.Execute("INSERT INTO t (id) VALUES (1)");
                        Assert.Fail("expected a unique violation");
                    }
                    catch (PostgresException)
                    {
                    }
                }

                [Theory]
                [InlineData(1)]
                public void Reports_the_error(int id)
                {
                    using var conn = new NpgsqlConnection("");
                    try { conn.Execute("INSERT INTO t (id) VALUES (@id)", new { id }); }
                    catch (Exception e) when (id > 0) { }
                    catch (Exception) { Assert.True(id > 0); }
                }

                [Fact]
                public void Expects_the_failure_through_a_flag()
                {
                    using var conn = new NpgsqlConnection("");
                    var gotException = false;
                    try { conn.Query<int>("select 1 as one").First(); }
                    catch (Exception) { gotException = true; }
                    Assert.True(gotException);
                }

                [Fact]
                public void Rollback_works_on_an_aborted_transaction()
                {
                    using var conn = new NpgsqlConnection("");
                    conn.Open();
                    using var t = conn.BeginTransaction();
                    try { conn.Execute("update dta set a = 1", transaction: t); }
                    catch (Exception) { t.Rollback(); }
                }

                [Fact]
                public void Swallows_without_asserting()
                {
                    using var conn = new NpgsqlConnection("");
                    try { conn.Execute("INSERT INTO t (id) VALUES (1)"); }
                    {|TG1003:catch|} { }
                }
            }
            """);

        [Fact]
        public Task A_rollback_nobody_hears_of_is_still_reported_in_application_code() => Verify.AnalyzerAsync("""
            class C
            {
                void Import(NpgsqlConnection conn, string[] names)
                {
                    using var tx = conn.BeginTransaction();
                    try
                    {
                        foreach (var name in names) conn.Execute("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
                        tx.Commit();
                    }
                    {|TG1003:catch (Exception)|}
                    {
                        tx.Rollback();
                    }
                }
            }
            """);

        // ---- other providers ----

        [Fact]
        public Task Another_database_provider_is_not_analyzed() => Verify.AnalyzerAsync("""
            using Microsoft.Data.Sqlite;

            class Sqlite
            {
                void Typed(SqliteConnection conn)
                {
                    try { conn.Execute("INSERT INTO t VALUES (1)"); } catch { }
                }

                void Created()
                {
                    IDbConnection conn = new SqliteConnection("Data Source=:memory:");
                    try { conn.Execute("INSERT INTO t VALUES (1)"); } catch { }
                    DbConnection other = new SqliteConnection("Data Source=:memory:");
                    using var cmd = other.CreateCommand();
                    cmd.CommandText = "INSERT INTO t VALUES (1)";
                    try { cmd.ExecuteNonQuery(); } catch { }
                }
            }
            """);

        [Fact]
        public Task A_connection_class_of_the_project_is_analyzed() => Verify.AnalyzerAsync("""
            class SqlServerLike : DbConnection
            {
                public override string ConnectionString { get; set; } = "";
                public override string Database => "";
                public override string DataSource => "";
                public override string ServerVersion => "";
                public override ConnectionState State => ConnectionState.Closed;
                public override void ChangeDatabase(string databaseName) { }
                public override void Close() { }
                public override void Open() { }
                protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => throw new NotSupportedException();
                protected override DbCommand CreateDbCommand() => throw new NotSupportedException();
            }

            class C
            {
                // A connection class declared in the project is analyzed (it may wrap Npgsql).
                void M(SqlServerLike conn)
                {
                    try { conn.Execute("INSERT INTO t VALUES (1)"); } {|TG1003:catch|} { }
                }
            }
            """);
    }
}
