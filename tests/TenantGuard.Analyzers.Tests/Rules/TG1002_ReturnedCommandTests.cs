using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.PlaceholderCastAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// A command built by a factory method and returned unexecuted is reported where its text is written, once, however
    /// many callers run it (and whether or not they are in the project).
    /// </summary>
    public class TG1002_ReturnedCommandTests
    {
        [Fact]
        public Task Data_source_command_returned() => Verify.AnalyzerAsync("""
            class Commands
            {
                NpgsqlCommand ForTenant(NpgsqlDataSource ds, Guid tenantId)
                {
                    var cmd = ds.CreateCommand("SELECT * FROM audit_log WHERE tenant_id = {|TG1002::tid::uuid|}");
                    cmd.Parameters.AddWithValue("tid", tenantId);
                    return cmd;
                }
            }
            """);

        [Fact]
        public Task Command_text_assigned_then_returned() => Verify.AnalyzerAsync("""
            class Commands
            {
                NpgsqlCommand ForTenant(NpgsqlConnection connection)
                {
                    var cmd = connection.CreateCommand();
                    cmd.CommandText = "UPDATE approvals SET payload = {|TG1002::payload::jsonb|} WHERE id = :id";
                    return cmd;
                }
            }
            """);

        [Fact]
        public Task Reported_in_the_factory_not_again_at_the_call() => Verify.AnalyzerAsync("""
            class Commands
            {
                NpgsqlCommand ForTenant(NpgsqlConnection connection) =>
                    new NpgsqlCommand("SELECT * FROM audit_log WHERE tenant_id = {|TG1002::tid::uuid|}", connection);

                int Count(NpgsqlConnection connection, Guid tenantId)
                {
                    using var cmd = ForTenant(connection);
                    cmd.Parameters.AddWithValue("tid", tenantId);
                    return (int)cmd.ExecuteScalar()!;
                }
            }
            """);

        [Fact]
        public Task Cast_written_as_CAST() => Verify.AnalyzerAsync("""
            class Commands
            {
                NpgsqlCommand ForTenant(NpgsqlConnection connection) =>
                    new NpgsqlCommand("SELECT * FROM audit_log WHERE tenant_id = CAST(:tid AS uuid)", connection);
            }
            """);
    }
}
