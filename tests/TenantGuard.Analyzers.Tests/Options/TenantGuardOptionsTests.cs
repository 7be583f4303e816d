using System.Linq;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Options
{
    /// <summary>
    /// Files share one set of options when their configurations set TenantGuard's keys alike
    /// (<see cref="TenantGuardOptions.Signature"/>), and only then.
    /// </summary>
    public class TenantGuardOptionsTests
    {
        private static string SignatureOf(params (string Key, string Value)[] values) =>
            TenantGuardOptions.Signature(new TestOptionsProvider(values).GlobalOptions);

        [Fact]
        public void Configurations_that_set_the_same_values_share_a_signature()
        {
            Assert.Equal(SignatureOf(), SignatureOf());
            Assert.Equal(
                SignatureOf((TenantGuardOptions.TenantTablesKey, "orders"), ("dotnet_diagnostic.CA1000.severity", "none")),
                SignatureOf((TenantGuardOptions.TenantTablesKey, "orders")));
        }

        [Fact]
        public void Every_key_set_or_changed_changes_the_signature()
        {
            var signatures = TenantGuardOptions.Keys
                .SelectMany(key => new[] { SignatureOf((key, "")), SignatureOf((key, "a")), SignatureOf((key, "b")) })
                .Append(SignatureOf())
                .ToList();
            Assert.Equal(signatures.Count, signatures.Distinct().Count());
        }

        [Fact]
        public void A_value_cannot_pose_as_another_key()
        {
            // Values are written whole, each closed by a character no configuration value holds.
            Assert.NotEqual(
                SignatureOf((TenantGuardOptions.TenantTablesKey, "a"), (TenantGuardOptions.TenantColumnsKey, "b")),
                SignatureOf((TenantGuardOptions.TenantTablesKey, "a\0+b")));
        }
    }
}
