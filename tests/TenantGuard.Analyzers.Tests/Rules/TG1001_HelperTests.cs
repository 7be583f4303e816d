using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// TG1001 when a method hands its connection to one of the project's helpers: a helper that leaves the connection
    /// alone (no setting, no transaction, nothing it cannot read) is not where the tenant may have been applied.
    /// </summary>
    public class TG1001_HelperTests
    {
        private static readonly (string, string)[] Tables = { ("tenantguard.tenant_tables", "contacts") };

        private const string Helpers = """
            static class Helpers
            {
                public static void Trace(NpgsqlConnection conn) => Console.WriteLine($"{conn.DataSource} {conn.State}");

                public static Task<int> Ping(NpgsqlConnection conn) => conn.ExecuteScalarAsync<int>("SELECT 1");

                public static Task ApplyTenantAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenant.ToString() }, tx);

                public static Task RunAsync(NpgsqlConnection conn, string sql) => conn.ExecuteAsync(sql);
            }

            """;

        [Fact]
        public Task A_helper_that_leaves_the_connection_alone_does_not_apply_the_tenant() => Verify.AnalyzerAsync(Helpers + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    Helpers.Trace(conn);
                    await Helpers.Ping(conn);
                    return await {|TG1001:conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts")|};
                }
            }
            """,
            Tables);

        [Fact]
        public Task A_helper_that_applies_the_setting_or_runs_unknown_sql_counts_as_applying_it() => Verify.AnalyzerAsync(Helpers + """
            class C
            {
                async Task<int> Applied(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await Helpers.ApplyTenantAsync(conn, tx, tenant);
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: tx);
                }

                async Task<int> Unknown(NpgsqlDataSource ds, string setup)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await Helpers.RunAsync(conn, setup);
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts");
                }
            }
            """,
            Tables);
    }
}
