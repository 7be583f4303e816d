using System.Text;
using TenantGuard.Analyzers.Registry;

namespace TenantGuard.DocGen;

/// <summary>The rule tables of the README files, one row per rule of the registry.</summary>
public static class RuleTables
{
    /// <summary>The repository's README: each id links to its page.</summary>
    public static string Repository() => Table(rule => $"[{rule.Id}](docs/rules/{rule.Id}.md)");

    /// <summary>The package's README (shown on the package's page, where the repository's links do not resolve).</summary>
    public static string Package() => Table(rule => rule.Id);

    private static string Table(Func<TenantGuardRule, string> id)
    {
        var text = new StringBuilder();
        text.Append("| ID | Title | Category | Default | Fix |\n|----|-------|----------|---------|-----|\n");
        foreach (var rule in TenantGuardRules.All)
        {
            text.Append($"| {id(rule)} | {RuleText.MarkdownTitle(rule)} | {RuleText.ShortCategory(rule.Category)} | {RuleText.Severity(rule.DefaultSeverity)} | {(rule.HasFix ? "yes" : "no")} |\n");
        }

        return text.ToString();
    }
}
