using TenantGuard.Analyzers.Tests.Infrastructure;
using TenantGuard.DocGen;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Documentation
{
    /// <summary>
    /// What follows from the rule registry is as the generator (tools/TenantGuard.DocGen) writes it: the README rule
    /// tables, docs/tenantguard.editorconfig, the preset globalconfigs, release tracking; and the documentation it
    /// checks agrees with the registry: every option in docs/configuration.md and on the pages of the rules that read
    /// it, every rule's page with its title, category, severity and fix.
    /// </summary>
    public class DocGenTests
    {
        [Fact]
        public void The_repository_is_as_the_rule_registry_gives_it()
        {
            var problems = DocumentationSet.Check(RobustnessTests.RepositoryRoot());
            Assert.True(problems.Count == 0, $"run `{DocumentationSet.Command}` (it writes the generated files) and fix what it lists:\n" + string.Join("\n", problems));
        }
    }
}
