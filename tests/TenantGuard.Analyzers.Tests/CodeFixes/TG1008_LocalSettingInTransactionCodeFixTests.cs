using System.Threading.Tasks;
using Xunit;
using Local = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SessionTenantSettingAnalyzer, TenantGuard.CodeFixes.Fixes.TransactionLocalSettingCodeFix>;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SessionTenantSettingAnalyzer, TenantGuard.CodeFixes.Fixes.TransactionLocalSettingCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    /// <summary>TG1008's fixes never turn a working (if leaky) session setting into one that ends before the work.</summary>
    public class TG1008_LocalSettingInTransactionCodeFixTests
    {
        private static readonly (string, string) Tables = ("tenantguard.tenant_tables", "contacts");

        [Fact]
        public Task No_transaction_on_a_fresh_connection_opens_one() => Verify.CodeFixAsync(
            """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await conn.ExecuteAsync("SELECT {|TG1008:set_config('app.tenant_id', @tenant, false)|}", new { tenant });
                    return await conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1");
                }
            }
            """,
            """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, transaction: tx);
                    var result = await conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: tx);
                    await tx.CommitAsync();
                    return result;
                }
            }
            """, TenantGuard.CodeFixes.Fixes.TransactionLocalSettingCodeFix.EquivalenceKey, Tables);

        [Fact]
        public Task Npgsql_set_statement_on_a_fresh_connection() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(string cs)
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Open();
                    using var set = new NpgsqlCommand("{|TG1008:SET app.tenant_id = '42'|}", conn);
                    set.ExecuteNonQuery();
                    using var delete = new NpgsqlCommand("DELETE FROM contacts WHERE id = 1", conn);
                    delete.ExecuteNonQuery();
                }
            }
            """,
            """
            class C
            {
                void M(string cs)
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Open();
                    using var tx = conn.BeginTransaction();
                    using var set = new NpgsqlCommand("SET LOCAL app.tenant_id = '42'", conn);
                    set.ExecuteNonQuery();
                    using var delete = new NpgsqlCommand("DELETE FROM contacts WHERE id = 1", conn);
                    delete.ExecuteNonQuery();
                    tx.Commit();
                }
            }
            """, Tables);

        [Fact]
        public Task Received_connection_without_a_transaction_gets_no_fix() => Verify.NoFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, string tenant) =>
                    conn.Execute("SELECT {|TG1008:set_config('app.tenant_id', @tenant, false)|}", new { tenant });
            }
            """, Tables);

        [Fact]
        public Task Received_connection_without_a_transaction_gets_no_local_rewrite_either() => Local.NoFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, string tenant) =>
                    conn.Execute("SELECT {|TG1008:set_config('app.tenant_id', @tenant, false)|}", new { tenant });
            }
            """, Tables);

        [Fact]
        public Task Work_in_the_same_command_text_is_rewritten_in_place() => Local.CodeFixAsync(
            """
            class C
            {
                int M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    return conn.Execute("{|TG1008:SET app.tenant_id = '42'|}; DELETE FROM contacts WHERE id = 1");
                }
            }
            """,
            """
            class C
            {
                int M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    return conn.Execute("SET LOCAL app.tenant_id = '42'; DELETE FROM contacts WHERE id = 1");
                }
            }
            """, Tables);
    }
}
