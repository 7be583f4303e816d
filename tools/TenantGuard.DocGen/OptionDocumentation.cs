using System.Text.RegularExpressions;
using TenantGuard.Analyzers.Registry;

namespace TenantGuard.DocGen;

/// <summary>
/// Every <c>tenantguard.*</c> option is documented: a row of the table in <c>docs/configuration.md</c> that names the
/// rules reading it (as the registry lists them), a line of <c>docs/tenantguard.editorconfig</c>, and the "Options"
/// section of the page of every rule that reads it, which names no option the rule does not read.
/// </summary>
public static partial class OptionDocumentation
{
    public const string Configuration = "docs/configuration.md";
    public const string EditorConfig = "docs/tenantguard.editorconfig";

    /// <summary>What the configuration table says for an option every code rule reads.</summary>
    public const string AllCodeRules = "all code rules";

    public static IEnumerable<string> Problems(Func<string, string?> read)
    {
        var configuration = read(Configuration) ?? string.Empty;
        var editorConfig = read(EditorConfig) ?? string.Empty;
        foreach (var key in TenantGuardRules.OptionKeys)
        {
            var row = Regex.Match(configuration, "^\\| `" + Regex.Escape(key) + "` \\|(?<cells>.*)$", RegexOptions.Multiline);
            var expected = ReadBy(key);
            if (!row.Success)
            {
                yield return $"{Configuration}: no row for `{key}` in the table of options (its last column: {expected})";
            }
            else if (row.Groups["cells"].Value.TrimEnd().TrimEnd('|').Split('|').Last().Trim() is var rules && rules != expected)
            {
                yield return $"{Configuration}: the row of `{key}` says it is read by \"{rules}\"; the registry says \"{expected}\"";
            }

            if (!Regex.IsMatch(editorConfig, "^#? ?" + Regex.Escape(key) + " =", RegexOptions.Multiline))
            {
                yield return $"{EditorConfig}: no line for {key}";
            }
        }

        foreach (var category in TenantGuardRules.All.Select(r => r.Category).Distinct(StringComparer.Ordinal))
        {
            if (!editorConfig.Contains($"dotnet_analyzer_diagnostic.category-{category}.severity =", StringComparison.Ordinal))
            {
                yield return $"{EditorConfig}: no category line for {category}";
            }
        }

        foreach (var rule in TenantGuardRules.All)
        {
            var path = RulePages.Path(rule);
            if (read(path) is not { } page)
            {
                continue; // reported by RulePages
            }

            var section = Regex.Match(page, @"^## Options\n(?<text>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline);
            if (!section.Success)
            {
                yield return $"{path}: no \"## Options\" section";
                continue;
            }

            var named = OptionKey().Matches(section.Groups["text"].Value).Select(m => m.Value).Where(TenantGuardRules.OptionKeys.Contains).ToHashSet(StringComparer.Ordinal);
            foreach (var key in rule.Options.Where(k => !named.Contains(k)))
            {
                yield return $"{path}: the Options section does not name `{key}`, which {rule.Id} reads";
            }

            foreach (var key in named.Where(k => !rule.Options.Contains(k)).Order(StringComparer.Ordinal))
            {
                yield return $"{path}: the Options section names `{key}`, which {rule.Id} does not read (per the registry, src/Analyzers/Registry/TenantGuardRules.cs)";
            }
        }
    }

    /// <summary>The rules reading an option, as the configuration table writes them.</summary>
    public static string ReadBy(string key) =>
        TenantGuardRules.CodeRuleOptions.Contains(key)
            ? AllCodeRules
            : string.Join(", ", TenantGuardRules.All.Where(r => r.Options.Contains(key)).Select(r => r.Id));

    [GeneratedRegex(@"tenantguard\.[a-z_]+")]
    private static partial Regex OptionKey();
}
