using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Registry;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Documentation
{
    /// <summary>
    /// The README's rule table, the ready-made <c>docs/tenantguard.editorconfig</c> and the documents' links are kept in
    /// step with the analyzers: each test prints what it expects, to paste where it differs.
    /// </summary>
    public class DocumentationTests
    {
        private static readonly string Root = RobustnessTests.RepositoryRoot();

        private static IEnumerable<DiagnosticDescriptor> Rules() =>
            TenantGuardRules.All.Select(r => r.Descriptor).OrderBy(d => d.Id, StringComparer.Ordinal);

        private static HashSet<string> Fixable() =>
            TenantGuardRules.All.Where(r => r.HasFix).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);

        private static string Severity(DiagnosticSeverity severity) => severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "suggestion",
            _ => "silent",
        };

        private static string Title(DiagnosticDescriptor rule) =>
            Regex.Replace(rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture), @"\b(current_setting|SET|security_invoker)\b", "`$1`").Replace("'::'", "`::`");

        internal static string RuleTable()
        {
            var fixable = Fixable();
            var text = new StringBuilder();
            text.Append("| ID | Title | Category | Default | Fix |\n|----|-------|----------|---------|-----|\n");
            foreach (var rule in Rules())
            {
                text.Append($"| [{rule.Id}](docs/rules/{rule.Id}.md) | {Title(rule)} | {rule.Category.Replace("TenantGuard.", "")} | {Severity(rule.DefaultSeverity)} | {(fixable.Contains(rule.Id) ? "yes" : "no")} |\n");
            }

            return text.ToString();
        }

        [Fact]
        public void The_readme_lists_every_rule_with_its_category_severity_and_fix()
        {
            var readme = File.ReadAllText(Path.Combine(Root, "README.md")).Replace("\r\n", "\n");
            var expected = RuleTable();
            Assert.True(readme.Contains(expected, StringComparison.Ordinal), "README.md's rule table should read:\n" + expected);
        }

        [Fact]
        public void The_ready_made_editorconfig_lists_every_rule_and_option_with_its_default()
        {
            var editorconfig = File.ReadAllText(Path.Combine(Root, "docs", "tenantguard.editorconfig")).Replace("\r\n", "\n");
            foreach (var rule in Rules())
            {
                Assert.Contains($"dotnet_diagnostic.{rule.Id}.severity = {Severity(rule.DefaultSeverity)}\n", editorconfig);
            }

            var configuration = File.ReadAllText(Path.Combine(Root, "docs", "configuration.md"));
            foreach (Match option in Regex.Matches(configuration, @"^\| `(tenantguard\.[a-z_]+)`", RegexOptions.Multiline))
            {
                Assert.Matches(new Regex("^#? ?" + Regex.Escape(option.Groups[1].Value) + " =", RegexOptions.Multiline), editorconfig);
            }
        }

        [Fact]
        public void No_document_points_outside_the_repository()
        {
            var outside = new Regex(@"GROUND_TRUTH|\.\./shared|field reports?\b|\bseeds/|\bplaybook\b|\bissue \d+\b", RegexOptions.IgnoreCase);
            var files = Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(Path.Combine(Root, "samples"), "*.cs", SearchOption.AllDirectories))
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                    && !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}artifacts{Path.DirectorySeparatorChar}"));
            foreach (var file in files)
            {
                var match = outside.Match(File.ReadAllText(file));
                Assert.False(match.Success, $"{Path.GetRelativePath(Root, file)} refers to '{match.Value}', which is not in the repository");
            }
        }

        [Fact]
        public void Relative_links_in_the_documents_resolve()
        {
            var link = new Regex(@"\]\((?!https?:|mailto:|#)([^)#\s]+)");
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(Root, "README.md")))
            {
                foreach (Match match in link.Matches(File.ReadAllText(file)))
                {
                    var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, match.Groups[1].Value));
                    Assert.True(File.Exists(target) || Directory.Exists(target), $"{Path.GetRelativePath(Root, file)} links to {match.Groups[1].Value}, which does not exist");
                }
            }
        }
    }
}
