using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer, TenantGuard.CodeFixes.Fixes.UseTenantWrapperCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1001_UseTenantWrapperCodeFixTests
    {
        private static readonly (string, string) Tables = ("tenantguard.tenant_tables", "contacts, todo_items");

        [Fact]
        public Task Rewrites_to_the_wrapper_and_drops_the_unused_connection() => Verify.CodeFixAsync(
            """
            class C
            {
                private readonly TenantGuard.Rls.TenantDatabase _tenants;
                private readonly NpgsqlDataSource _ds;

                C(TenantGuard.Rls.TenantDatabase tenants, NpgsqlDataSource ds) { _tenants = tenants; _ds = ds; }

                async Task<IEnumerable<int>> Ids(Guid tenantId)
                {
                    await using var conn = await _ds.OpenConnectionAsync();
                    return await {|TG1001:conn.QueryAsync<int>("SELECT id FROM contacts")|};
                }
            }
            """,
            """
            using TenantGuard.Rls;

            class C
            {
                private readonly TenantGuard.Rls.TenantDatabase _tenants;
                private readonly NpgsqlDataSource _ds;

                C(TenantGuard.Rls.TenantDatabase tenants, NpgsqlDataSource ds) { _tenants = tenants; _ds = ds; }

                async Task<IEnumerable<int>> Ids(Guid tenantId)
                {
                    return await _tenants.WithTenantAsync(new TenantContext(tenantId.ToString()), (tenantConn, tenantTx, ct) => tenantConn.QueryAsync<int>("SELECT id FROM contacts", transaction: tenantTx));
                }
            }
            """, TenantGuard.CodeFixes.Fixes.UseTenantWrapperCodeFix.EquivalenceKey, Tables);

        [Fact]
        public Task Fix_all_keeps_a_connection_still_in_use() => Verify.CodeFixAsync(
            """
            using System.Data.Common;

            class C
            {
                async Task M(TenantGuard.Rls.TenantDatabase tenants, NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    var n = await {|TG1001:conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1")|};
                    await {|TG1001:conn.ExecuteAsync("DELETE FROM todo_items WHERE id = 2")|};
                    Console.WriteLine(conn.State);
                }
            }
            """,
            """
            using System.Data.Common;
            using TenantGuard.Rls;

            class C
            {
                async Task M(TenantGuard.Rls.TenantDatabase tenants, NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    var n = await tenants.WithTenantAsync(new TenantContext(tenant), (tenantConn, tenantTx, ct) => tenantConn.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: tenantTx));
                    await tenants.WithTenantAsync(new TenantContext(tenant), (tenantConn, tenantTx, ct) => tenantConn.ExecuteAsync("DELETE FROM todo_items WHERE id = 2", transaction: tenantTx));
                    Console.WriteLine(conn.State);
                }
            }
            """, Tables);

        [Fact]
        public Task No_fix_without_a_tenant_database_in_scope() => Verify.NoFixAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await {|TG1001:conn.ExecuteAsync("DELETE FROM contacts")|};
                }
            }
            """, ("tenantguard.tenant_tables", "contacts"));
    }
}
