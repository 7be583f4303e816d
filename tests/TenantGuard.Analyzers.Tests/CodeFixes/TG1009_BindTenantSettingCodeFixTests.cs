using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SplicedTenantSettingAnalyzer, TenantGuard.CodeFixes.Fixes.BindTenantSettingCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1009_BindTenantSettingCodeFixTests
    {
        [Fact]
        public Task Dapper_interpolation() => Verify.CodeFixAsync(
            """
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.ExecuteAsync($"SET LOCAL app.tenant_id = '{{|TG1009:tenant|}}'", transaction: tx);
            }
            """,
            """
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", param: new { tenant }, transaction: tx);
            }
            """, TenantGuard.CodeFixes.Fixes.BindTenantSettingCodeFix.EquivalenceKey);

        [Fact]
        public Task Fix_all_concatenation_member_access_and_efcore() => Verify.CodeFixAsync(
            """
            record Ctx(Guid TenantId);
            class AppDb : DbContext { }

            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, Ctx ctx, AppDb db, string tenant)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', '" + {|TG1012:ctx.TenantId|} + "', true)", null, tx);
                    using var efTx = db.Database.BeginTransaction();
                    db.Database.ExecuteSqlRaw($"SET LOCAL app.tenant_id = '{{|TG1009:tenant|}}'");
                    efTx.Commit();
                }
            }
            """,
            """
            record Ctx(Guid TenantId);
            class AppDb : DbContext { }

            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, Ctx ctx, AppDb db, string tenant)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @tenantId, true)", new { tenantId = ctx.TenantId.ToString() }, tx);
                    using var efTx = db.Database.BeginTransaction();
                    db.Database.ExecuteSql($"SELECT set_config('app.tenant_id', {tenant}, true)");
                    efTx.Commit();
                }
            }
            """);

        [Fact]
        public Task No_fix_when_more_statements_follow() => Verify.NoFixAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.Execute($"SET LOCAL app.tenant_id = '{{|TG1009:tenant|}}'; SELECT 1", transaction: tx);
            }
            """);

        [Fact]
        public Task Npgsql_command_in_a_using_statement() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string v)
                {
                    using (var cmd = new NpgsqlCommand($"SET LOCAL app.tenant_id = '{{|TG1009:v|}}'", conn, tx))
                    {
                        cmd.ExecuteNonQuery();
                    }
                }
            }
            """,
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string v)
                {
                    using (var cmd = new NpgsqlCommand("SELECT set_config('app.tenant_id', @v, true)", conn, tx) { Parameters = { new NpgsqlParameter("v", v) } })
                    {
                        cmd.ExecuteNonQuery();
                    }
                }
            }
            """);

        [Fact]
        public Task Guid_is_bound_as_text() => Verify.CodeFixAsync(
            """
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, Guid tenant) =>
                    conn.ExecuteAsync($"SET LOCAL app.tenant_id = '{{|TG1012:tenant|}}'", transaction: tx);
            }
            """,
            """
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, Guid tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", param: new { tenant = tenant.ToString() }, transaction: tx);
            }
            """);
    }
}
