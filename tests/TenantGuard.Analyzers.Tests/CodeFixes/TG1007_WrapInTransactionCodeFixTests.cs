using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.LocalSettingWithoutTransactionAnalyzer, TenantGuard.CodeFixes.Fixes.WrapInTransactionCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1007_WrapInTransactionCodeFixTests
    {
        private static readonly (string, string) Tables = ("tenantguard.tenant_tables", "contacts");

        [Fact]
        public Task Async_dapper_with_a_final_return() => Verify.CodeFixAsync(
            """
            class C
            {
                async Task<IEnumerable<string>> M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await {|TG1007:conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant })|};
                    return await conn.QueryAsync<string>("SELECT name FROM contacts");
                }
            }
            """,
            """
            class C
            {
                async Task<IEnumerable<string>> M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, transaction: tx);
                    var result = await conn.QueryAsync<string>("SELECT name FROM contacts", transaction: tx);
                    await tx.CommitAsync();
                    return result;
                }
            }
            """, TenantGuard.CodeFixes.Fixes.WrapInTransactionCodeFix.EquivalenceKey, Tables);

        [Fact]
        public Task Fix_all_sync_and_efcore() => Verify.CodeFixAsync(
            """
            class AppDb : DbContext { }

            class C
            {
                void M(string cs, string tenant)
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Open();
                    {|TG1007:conn.Execute("SET LOCAL app.tenant_id = '1'")|};
                    conn.Execute("DELETE FROM contacts WHERE id = 1");
                    Console.WriteLine("done");
                }

                void E(string tenant)
                {
                    using var db = new AppDb();
                    {|TG1007:db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant)|};
                    db.Database.ExecuteSqlRaw("DELETE FROM contacts");
                }
            }
            """,
            """
            class AppDb : DbContext { }

            class C
            {
                void M(string cs, string tenant)
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Open();
                    using var tx = conn.BeginTransaction();
                    conn.Execute("SET LOCAL app.tenant_id = '1'", transaction: tx);
                    conn.Execute("DELETE FROM contacts WHERE id = 1", transaction: tx);
                    tx.Commit();
                    Console.WriteLine("done");
                }

                void E(string tenant)
                {
                    using var db = new AppDb();
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    db.Database.ExecuteSqlRaw("DELETE FROM contacts");
                    tx.Commit();
                }
            }
            """, Tables);

        [Fact]
        public Task No_fix_for_a_data_source_command() => Verify.NoFixAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    await using var cmd = ds.CreateCommand("SELECT set_config('app.tenant_id', '1', true)");
                    await {|TG1007:cmd.ExecuteNonQueryAsync()|};
                }
            }
            """);

        [Fact]
        public Task Commit_goes_after_the_last_command_made_from_the_connection() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    {|TG1007:conn.Execute("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant })|};
                    using var del = new NpgsqlCommand("DELETE FROM contacts WHERE id = 1", conn);
                    del.ExecuteNonQuery();
                }
            }
            """,
            """
            class C
            {
                void M(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    conn.Execute("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, transaction: tx);
                    using var del = new NpgsqlCommand("DELETE FROM contacts WHERE id = 1", conn);
                    del.ExecuteNonQuery();
                    tx.Commit();
                }
            }
            """, Tables);

        [Fact]
        public Task Fix_all_opens_one_transaction_for_two_settings() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(NpgsqlDataSource ds, string tenant, string role)
                {
                    using var conn = ds.OpenConnection();
                    {|TG1007:conn.Execute("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant })|};
                    {|TG1007:conn.Execute("SELECT set_config('app.role', @role, true)", new { role })|};
                    conn.Execute("DELETE FROM contacts WHERE id = 1");
                }
            }
            """,
            """
            class C
            {
                void M(NpgsqlDataSource ds, string tenant, string role)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    conn.Execute("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, transaction: tx);
                    conn.Execute("SELECT set_config('app.role', @role, true)", new { role }, transaction: tx);
                    conn.Execute("DELETE FROM contacts WHERE id = 1", transaction: tx);
                    tx.Commit();
                }
            }
            """, Tables, ("tenantguard.tenant_settings", "app.tenant_id, app.role"));
    }
}
