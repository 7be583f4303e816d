using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.AbortedTransactionReuseAnalyzer, TenantGuard.CodeFixes.Fixes.SavepointCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1004_SavepointCodeFixTests
    {
        [Fact]
        public Task Savepoint_per_iteration_async() => Verify.CodeFixAsync(
            """
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
            """,
            """
            class C
            {
                async Task<int> Import(NpgsqlDataSource ds, IEnumerable<string> names, ILogger log)
                {
                    var created = 0;
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    foreach (var name in names)
                    {
                        await tx.SaveAsync("tenantguard_savepoint");
                        try
                        {
                            created += await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
                            await tx.ReleaseAsync("tenantguard_savepoint");
                        }
                        catch (Exception ex)
                        {
                            await tx.RollbackAsync("tenantguard_savepoint");
                            log.LogWarning(ex, "row failed");
                        }
                    }

                    await tx.CommitAsync();
                    return created;
                }
            }
            """, TenantGuard.CodeFixes.Fixes.SavepointCodeFix.EquivalenceKey);

        [Fact]
        public Task Fix_all_sync_two_catches_of_one_try_and_a_second_loop() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, int[] ids, ILogger log)
                {
                    foreach (var id in ids)
                    {
                        try
                        {
                            conn.Execute("DELETE FROM t WHERE id = @id", new { id }, tx);
                        }
                        {|TG1004:catch (PostgresException ex)|}
                        {
                            log.LogWarning(ex, "pg");
                        }
                        {|TG1004:catch (Exception ex)|}
                        {
                            log.LogWarning(ex, "other");
                        }
                    }

                    foreach (var id in ids)
                    {
                        try
                        {
                            conn.Execute("UPDATE t SET a = 1 WHERE id = @id", new { id }, tx);
                        }
                        {|TG1004:catch (DbException ex)|}
                        {
                            log.LogWarning(ex, "db");
                        }
                    }

                    tx.Commit();
                }
            }
            """,
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, int[] ids, ILogger log)
                {
                    foreach (var id in ids)
                    {
                        tx.Save("tenantguard_savepoint");
                        try
                        {
                            conn.Execute("DELETE FROM t WHERE id = @id", new { id }, tx);
                            tx.Release("tenantguard_savepoint");
                        }
                        catch (PostgresException ex)
                        {
                            tx.Rollback("tenantguard_savepoint");
                            log.LogWarning(ex, "pg");
                        }
                        catch (Exception ex)
                        {
                            tx.Rollback("tenantguard_savepoint");
                            log.LogWarning(ex, "other");
                        }
                    }

                    foreach (var id in ids)
                    {
                        tx.Save("tenantguard_savepoint");
                        try
                        {
                            conn.Execute("UPDATE t SET a = 1 WHERE id = @id", new { id }, tx);
                            tx.Release("tenantguard_savepoint");
                        }
                        catch (DbException ex)
                        {
                            tx.Rollback("tenantguard_savepoint");
                            log.LogWarning(ex, "db");
                        }
                    }

                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task No_fix_for_an_idbtransaction() => Verify.NoFixAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string[] names, List<Exception> errors)
                {
                    foreach (var name in names)
                    {
                        try { conn.Execute("INSERT INTO t (n) VALUES (@name)", new { name }, tx); }
                        {|TG1004:catch (DbException ex)|} { errors.Add(ex); }
                    }
                }
            }
            """);
    }
}
