using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SessionTenantSettingAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// With no migrations and no <c>tenantguard.tenant_settings</c>, a custom setting whose name says tenant,
    /// organization, company, workspace or account is a tenant setting.
    /// </summary>
    public class TG1008_NamedTenantSettingTests
    {
        [Theory]
        [InlineData("app.current_tenant")]
        [InlineData("app.org_id")]
        [InlineData("app.organization")]
        [InlineData("myapp.company")]
        [InlineData("app.workspaceId")]
        [InlineData("app.account_id")]
        [InlineData("rls.tenant")]
        public Task A_setting_named_after_the_tenant(string setting) => Verify.AnalyzerAsync($$"""
            class C
            {
                void M(NpgsqlConnection conn) => conn.Execute("{|TG1008:SET {{setting}} = '1'|}");
            }
            """);

        [Fact]
        public Task Interceptor_command_text() => Verify.AnalyzerAsync("""
            class Interceptor
            {
                void Opened(DbConnection connection, Guid tenantId)
                {
                    using var cmd = connection.CreateCommand();
                    cmd.CommandText = $"{|TG1008:SET app.current_tenant = '{tenantId}'|}";
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Theory]
        [InlineData("app.request_id")]
        [InlineData("app.user_id")]
        [InlineData("app.current_timezone")]
        [InlineData("app.organizer")]
        [InlineData("statement_timeout")]
        public Task Other_settings(string setting) => Verify.AnalyzerAsync($$"""
            class C
            {
                void M(NpgsqlConnection conn) => conn.Execute("SET {{setting}} = '1'");
            }
            """);

        [Fact]
        public Task The_configured_list_decides() => Verify.AnalyzerAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn) => conn.Execute("SET app.current_tenant = '1'");
            }
            """,
            ("tenantguard.tenant_settings", "app.tenant_id"));

        [Fact]
        public Task The_policies_decide() => Verify.AnalyzerAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn) => conn.Execute("SET app.current_tenant = '1'");
                const string Rls = "ALTER TABLE notes ENABLE ROW LEVEL SECURITY; CREATE POLICY notes_tenant ON notes USING (tenant_id = (SELECT current_setting('app.tenant_id', true))::uuid);";
            }
            """);
    }
}
