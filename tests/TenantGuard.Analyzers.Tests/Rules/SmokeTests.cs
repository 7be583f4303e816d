using System.Threading.Tasks;
using TenantGuard.Analyzers.Rules;
using Xunit;
using VerifyTG1001 = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class SmokeTests
    {
        [Fact]
        public Task Dapper_query_without_context_is_flagged() => VerifyTG1001.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    var rows = await {|TG1001:conn.QueryAsync<int>("SELECT id FROM contacts WHERE tenant_id = @t", new { t = 1 })|};
                }
            }
            """);
    }
}
