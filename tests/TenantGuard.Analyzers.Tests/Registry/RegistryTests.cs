using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Registry;
using TenantGuard.CodeFixes.Registry;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Registry
{
    /// <summary>
    /// The registries list everything the assemblies hold: every analyzer and code fix provider type (found here by
    /// reflection, the one place that looks), every rule its analyzers report, every option. Everything else takes
    /// them from the registries.
    /// </summary>
    public class RegistryTests
    {
        [Fact]
        public void Every_analyzer_of_the_assembly_is_listed_once() =>
            ListsEvery(typeof(DiagnosticAnalyzer), typeof(DiagnosticAnalyzerAttribute), typeof(TenantGuardRules).Assembly, TenantGuardRules.CreateAnalyzers().Select(a => a.GetType()));

        [Fact]
        public void Every_code_fix_provider_of_the_assembly_is_listed_once() =>
            ListsEvery(typeof(CodeFixProvider), typeof(ExportCodeFixProviderAttribute), typeof(TenantGuardFixes).Assembly, TenantGuardFixes.CreateCodeFixProviders().Select(p => p.GetType()));

        [Fact]
        public void Every_rule_the_analyzers_report_is_listed_once_in_the_order_of_the_ids()
        {
            var ids = TenantGuardRules.All.Select(r => r.Id).ToList();
            Assert.Equal(ids.OrderBy(id => id, StringComparer.Ordinal), ids);
            Assert.Equal(ids.Distinct().Count(), ids.Count);
            var reported = TenantGuardRules.CreateAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal);
            Assert.Equal(reported, ids);
        }

        [Fact]
        public void Each_rule_names_the_analyzer_that_reports_it()
        {
            // An analyzer lists its own rules first (a schema analyzer then lists every other schema rule).
            foreach (var analyzer in TenantGuardRules.CreateAnalyzers())
            {
                var own = TenantGuardRules.All.Where(r => r.Analyzer == analyzer.GetType()).Select(r => r.Descriptor).ToList();
                Assert.NotEmpty(own);
                Assert.Equal(own.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal), analyzer.SupportedDiagnostics.Take(own.Count).Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
                Assert.All(own, d => Assert.Same(d, analyzer.SupportedDiagnostics.Single(s => s.Id == d.Id)));
            }
        }

        [Fact]
        public void Every_category_is_one_of_the_rule_categories()
        {
            var categories = new[] { RuleCategories.Security, RuleCategories.Reliability, RuleCategories.Design, RuleCategories.Configuration, RuleCategories.Schema };
            Assert.All(TenantGuardRules.All, r => Assert.Contains(r.Category, categories));
        }

        [Fact]
        public void A_rule_has_a_fix_exactly_when_a_provider_fixes_it()
        {
            var fixable = TenantGuardFixes.FixableIds();
            Assert.All(fixable, id => Assert.NotNull(TenantGuardRules.Find(id)));
            Assert.All(TenantGuardRules.All, r => Assert.True(r.HasFix == fixable.Contains(r.Id), $"{r.Id}: HasFix is {r.HasFix}, but a provider {(r.HasFix ? "does not fix" : "fixes")} it"));
        }

        [Fact]
        public void Every_option_is_listed_and_each_rule_reads_listed_options()
        {
            var keys = typeof(TenantGuardOptions).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.Name.EndsWith("Key", StringComparison.Ordinal))
                .Select(f => (string)f.GetRawConstantValue()!)
                .OrderBy(k => k, StringComparer.Ordinal);
            Assert.Equal(keys, TenantGuardRules.OptionKeys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.All(TenantGuardRules.All.SelectMany(r => r.Options).Concat(TenantGuardRules.CodeRuleOptions), o => Assert.Contains(o, TenantGuardRules.OptionKeys));
            Assert.All(TenantGuardRules.All, r => Assert.Equal(r.Options.Distinct().Count(), r.Options.Length));
        }

        /// <summary>The registry's list is every concrete <paramref name="kind"/> of the assembly (each exported), once.</summary>
        private static void ListsEvery(Type kind, Type export, Assembly assembly, System.Collections.Generic.IEnumerable<Type> listed)
        {
            var types = assembly.GetTypes().Where(t => !t.IsAbstract && kind.IsAssignableFrom(t)).ToList();
            Assert.All(types, t => Assert.NotEmpty(t.GetCustomAttributes(export, false)));
            var list = listed.ToList();
            Assert.Equal(list.Distinct().Count(), list.Count);
            Assert.Equal(Names(types), Names(list));
        }

        private static string[] Names(System.Collections.Generic.IEnumerable<Type> types) =>
            types.Select(t => t.FullName!).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }
}
