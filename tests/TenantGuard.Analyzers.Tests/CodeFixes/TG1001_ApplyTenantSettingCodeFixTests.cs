using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer, TenantGuard.CodeFixes.Fixes.ApplyTenantSettingCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1001_ApplyTenantSettingCodeFixTests
    {
        private static readonly (string, string) Tables = ("tenantguard.tenant_tables", "contacts, todo_items");

        [Fact]
        public Task Inside_an_open_transaction() => Verify.CodeFixAsync(
            """
            class C
            {
                async Task M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await {|TG1001:conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: tx)|};
                    await tx.CommitAsync();
                }
            }
            """,
            """
            class C
            {
                async Task M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenantId.ToString() }, tx);
                    await conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: tx);
                    await tx.CommitAsync();
                }
            }
            """, Tables);

        [Fact]
        public Task Fix_all_opens_transactions_where_none_is_open() => Verify.CodeFixAsync(
            """
            class AppDb : DbContext { }

            class C
            {
                int Count(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    return {|TG1001:conn.ExecuteScalar<int>("SELECT count(*) FROM contacts")|};
                }

                void Purge(AppDb db, string tenant)
                {
                    {|TG1001:db.Database.ExecuteSqlRaw("DELETE FROM todo_items")|};
                }
            }
            """,
            """
            class AppDb : DbContext { }

            class C
            {
                int Count(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    conn.Execute("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenant }, tx);
                    var result = conn.ExecuteScalar<int>("SELECT count(*) FROM contacts", transaction: tx);
                    tx.Commit();
                    return result;
                }

                void Purge(AppDb db, string tenant)
                {
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSql($"SELECT set_config('app.tenant_id', {tenant}, true)");
                    db.Database.ExecuteSqlRaw("DELETE FROM todo_items");
                    tx.Commit();
                }
            }
            """, Tables, ("tenantguard.efcore_context", "explicit"));

        [Fact]
        public Task No_fix_without_a_tenant_value_in_scope() => Verify.NoFixAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    {|TG1001:conn.Execute("DELETE FROM contacts")|};
                }
            }
            """, ("tenantguard.tenant_tables", "contacts"));
    }
}
