using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Registry;

namespace TenantGuard.DocGen;

/// <summary>
/// Every rule has its page, <c>docs/rules/TGxxxx.md</c>, whose heading and table agree with the registry: the title,
/// the category, the default severity and whether there is a code fix.
/// </summary>
public static class RulePages
{
    public static string Path(TenantGuardRule rule) => $"docs/rules/{rule.Id}.md";

    public static IEnumerable<string> Problems(Func<string, string?> read)
    {
        foreach (var rule in TenantGuardRules.All)
        {
            var path = Path(rule);
            if (read(path) is not { } page)
            {
                yield return $"{path}: missing (every rule has a page)";
                continue;
            }

            var heading = page.Split('\n')[0];
            var prefix = $"# {rule.Id}: ";
            if (!heading.StartsWith(prefix, StringComparison.Ordinal) || RuleText.Plain(heading.Substring(prefix.Length)) != RuleText.Plain(RuleText.Title(rule)))
            {
                yield return $"{path}: the heading should read \"# {rule.Id}: {RuleText.Title(rule)}\" (code may be marked with backquotes)";
            }

            if (Cell(page, "Category") != rule.Category)
            {
                yield return $"{path}: the Category cell should read {rule.Category}";
            }

            var severity = Cell(page, "Default severity") ?? string.Empty;
            var severityWords = rule.DefaultSeverity == DiagnosticSeverity.Info ? new[] { "Info", "Suggestion" } : new[] { rule.DefaultSeverity.ToString() };
            if (!severityWords.Any(w => severity.StartsWith(w, StringComparison.Ordinal)))
            {
                yield return $"{path}: the Default severity cell should begin with {string.Join(" or ", severityWords)}";
            }

            var fix = Cell(page, "Code fix") ?? string.Empty;
            if (!fix.StartsWith(rule.HasFix ? "Yes" : "No", StringComparison.Ordinal))
            {
                yield return $"{path}: the Code fix cell should begin with {(rule.HasFix ? "Yes" : "No")}";
            }
        }
    }

    private static string? Cell(string page, string name) =>
        Regex.Match(page, "^\\| " + Regex.Escape(name) + " \\| (?<value>.*?) \\|$", RegexOptions.Multiline) is { Success: true } match ? match.Groups["value"].Value : null;
}
