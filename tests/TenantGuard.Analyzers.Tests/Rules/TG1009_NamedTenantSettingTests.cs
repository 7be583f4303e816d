using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SplicedTenantSettingAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// A setting named after the tenant (no migrations, no configuration) spliced into SQL: in the command text, and in
    /// text a void helper writes into the command its caller executes.
    /// </summary>
    public class TG1009_NamedTenantSettingTests
    {
        [Fact]
        public Task Spliced_into_a_command_text() => Verify.AnalyzerAsync("""
            class Interceptor
            {
                void Opened(DbConnection connection, string slug)
                {
                    using var cmd = connection.CreateCommand();
                    cmd.CommandText = $"SET app.current_tenant = '{{|TG1009:slug|}}'";
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Written_by_a_void_helper_reported_at_its_call() => Verify.AnalyzerAsync("""
            class TenantCommands
            {
                void Apply(NpgsqlConnection connection, string tenantName)
                {
                    using var cmd = connection.CreateCommand();
                    {|TG1009:Prepare(cmd, tenantName)|};
                    cmd.ExecuteNonQuery();
                }

                private static void Prepare(NpgsqlCommand cmd, string tenantName)
                {
                    cmd.CommandText = $"SET app.current_tenant = '{tenantName}'";
                }
            }
            """);

        [Fact]
        public Task A_guid_is_TG1012() => Verify.AnalyzerAsync("""
            class Interceptor
            {
                void Opened(DbConnection connection, Guid tenantId)
                {
                    using var cmd = connection.CreateCommand();
                    cmd.CommandText = $"SET app.current_tenant = '{{|TG1012:tenantId|}}'";
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Another_setting_spliced() => Verify.AnalyzerAsync("""
            class Interceptor
            {
                void Opened(DbConnection connection, string requestId)
                {
                    using var cmd = connection.CreateCommand();
                    cmd.CommandText = $"SET app.request_id = '{requestId}'";
                    cmd.ExecuteNonQuery();
                }
            }
            """);
    }
}
