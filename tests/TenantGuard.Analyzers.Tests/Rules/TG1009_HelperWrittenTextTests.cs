using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SplicedTenantSettingAnalyzer>;
using VerifySession = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SessionTenantSettingAnalyzer>;
using VerifyBindFix = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SplicedTenantSettingAnalyzer, TenantGuard.CodeFixes.Fixes.BindTenantSettingCodeFix>;
using VerifyLocalFix = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.SessionTenantSettingAnalyzer, TenantGuard.CodeFixes.Fixes.TransactionLocalSettingCodeFix>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// SQL text a helper of the project writes into the command it receives (<c>PrepareCommand(cmd, tenant)</c>) is the
    /// command's text for every SQL rule; the findings land on the call to the helper, once per caller. No fix is offered
    /// there (the text to change is in the helper).
    /// </summary>
    public class TG1009_HelperWrittenTextTests
    {
        private const string Interceptor = """
            public sealed class Tenant { public string Name { get; set; } = ""; }

            public class TenantInterceptor
            {
                public void Opened(DbConnection connection, Tenant tenant)
                {
                    using var cmd = connection.CreateCommand();
                    [|PrepareCommand(cmd, tenant)|};
                    cmd.ExecuteNonQuery();
                }

                private void PrepareCommand(DbCommand cmd, Tenant tenant)
                {
                    cmd.CommandText = $"SET app.current_tenant = '{tenant.Name}'";
                }
            }
            """;

        [Fact]
        public Task Spliced_setting_written_by_a_helper_is_reported_at_the_call() =>
            Verify.AnalyzerAsync(Interceptor.Replace("[|", "{|TG1009:"), ("tenantguard.tenant_settings", "app.current_tenant"));

        [Fact]
        public Task Session_setting_written_by_a_helper_is_reported_at_the_call() =>
            VerifySession.AnalyzerAsync(Interceptor.Replace("[|", "{|TG1008:"), ("tenantguard.tenant_settings", "app.current_tenant"));

        [Fact]
        public Task No_bind_fix_at_the_call() =>
            VerifyBindFix.NoFixAsync(Interceptor.Replace("[|", "{|TG1009:"), ("tenantguard.tenant_settings", "app.current_tenant"));

        [Fact]
        public Task No_transaction_local_fix_at_the_call() =>
            VerifyLocalFix.NoFixAsync(Interceptor.Replace("[|", "{|TG1008:"), ("tenantguard.tenant_settings", "app.current_tenant"));

        private const string Factory = """
            public sealed class Tenant { public string Name { get; set; } = ""; }

            public class TenantInterceptor
            {
                public void Opened(DbConnection connection, Tenant tenant)
                {
                    using var cmd = [|CreateCommand(connection, tenant)|};
                    cmd.ExecuteNonQuery();
                }

                public async Task OpenedAsync(DbConnection connection, Tenant tenant)
                {
                    await using var cmd = [|CreateCommand(connection, tenant)|};
                    await cmd.ExecuteNonQueryAsync();
                }

                private DbCommand CreateCommand(DbConnection connection, Tenant tenant)
                {
                    var cmd = connection.CreateCommand();
                    cmd.CommandText = $"SET app.current_tenant = '{tenant.Name}'";
                    return cmd;
                }
            }
            """;

        [Fact]
        public Task Spliced_setting_of_a_command_a_helper_creates_is_reported_at_each_call() =>
            Verify.AnalyzerAsync(Factory.Replace("[|", "{|TG1009:"), ("tenantguard.tenant_settings", "app.current_tenant"));

        [Fact]
        public Task Session_setting_of_a_command_a_helper_creates_is_reported_at_each_call() =>
            VerifySession.AnalyzerAsync(Factory.Replace("[|", "{|TG1008:"), ("tenantguard.tenant_settings", "app.current_tenant"));

        [Fact]
        public Task A_helper_with_two_returns_gives_no_text() => Verify.AnalyzerAsync("""
            public class C
            {
                public void Run(DbConnection connection, string tenant, bool admin)
                {
                    using var cmd = CreateCommand(connection, tenant, admin);
                    cmd.ExecuteNonQuery();
                }

                private static DbCommand CreateCommand(DbConnection connection, string tenant, bool admin)
                {
                    var cmd = connection.CreateCommand();
                    if (admin)
                    {
                        cmd.CommandText = "SELECT 1";
                        return cmd;
                    }

                    cmd.CommandText = $"SET app.current_tenant = '{tenant}'";
                    return cmd;
                }
            }
            """, ("tenantguard.tenant_settings", "app.current_tenant"));

        [Fact]
        public Task Text_assigned_after_the_helper_wins() => Verify.AnalyzerAsync("""
            public sealed class Tenant { public string Name { get; set; } = ""; }

            public class C
            {
                public void Run(NpgsqlConnection connection, Tenant tenant)
                {
                    using var cmd = connection.CreateCommand();
                    PrepareCommand(cmd, tenant);
                    cmd.CommandText = "SELECT set_config('app.current_tenant', @t, false)";
                    cmd.ExecuteNonQuery();
                }

                private static void PrepareCommand(DbCommand cmd, Tenant tenant) =>
                    cmd.CommandText = $"SET app.current_tenant = '{tenant.Name}'";
            }
            """, ("tenantguard.tenant_settings", "app.current_tenant"));
    }
}
