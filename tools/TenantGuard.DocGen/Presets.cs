using System.Text;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Registry;

namespace TenantGuard.DocGen;

/// <summary>
/// The preset globalconfigs of the package (<c>src/Package/presets/</c>): one per category and severity, chosen by
/// <c>TenantGuardPreset</c> or the category's own property (<c>TenantGuardSchema</c>). A preset is a category line; the
/// schema presets also write a line per schema rule, since the compiler applies only rule lines to diagnostics on .sql
/// files, and name their severity (<c>tenantguard.preset.schema</c>) so that the schema rules rank those lines below
/// the project's own configuration.
/// </summary>
public static class Presets
{
    public const string Folder = "src/Package/presets";

    /// <summary>The severities a preset can set, as the MSBuild properties name them.</summary>
    public static readonly IReadOnlyList<string> Severities = ["error", "warning", "suggestion", "silent", "none"];

    public static IEnumerable<GeneratedFile> Files()
    {
        var categories = TenantGuardRules.All.Select(r => r.Category).Distinct(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            foreach (var severity in Severities)
            {
                yield return new GeneratedFile($"{Folder}/{RuleText.ShortCategory(category).ToLowerInvariant()}.{severity}.globalconfig", Text(category, severity));
            }
        }
    }

    private static string Text(string category, string severity)
    {
        var property = "TenantGuard" + RuleText.ShortCategory(category);
        var text = new StringBuilder();
        text.Append($"# TenantGuard preset: the {category} rules at '{severity}'. Chosen by TenantGuardPreset or {property}.\n");
        var ruleLines = category == RuleCategories.Schema;
        if (ruleLines)
        {
            text.Append("""
                # Ranked below the project's own configuration (global_level -1). The schema rules report on .sql migrations, and
                # the compiler applies only rule lines (not category lines) to diagnostics in files that are not C# source, so this
                # preset writes one line per rule beside the category line: a project's own dotnet_diagnostic.TGxxxx.severity line in
                # a global config still wins over it. tenantguard.preset.schema tells the schema rules which rule lines are the preset's,
                # so that an .editorconfig section of the project that turns a rule off on its .sql files wins over them too.

                """);
        }
        else
        {
            text.Append($"""
                # Category lines only, ranked below the project's own configuration (global_level -1): a project's own
                # dotnet_diagnostic.TGxxxx.severity or dotnet_analyzer_diagnostic.category-{category}.severity line wins.

                """);
        }

        text.Append("is_global = true\nglobal_level = -1\n");
        if (ruleLines)
        {
            text.Append($"{FileSeverities.SchemaPresetKey} = {severity}\n");
        }

        text.Append($"dotnet_analyzer_diagnostic.category-{category}.severity = {severity}\n");
        if (ruleLines)
        {
            foreach (var rule in TenantGuardRules.All.Where(r => r.Category == category))
            {
                text.Append($"dotnet_diagnostic.{rule.Id}.severity = {severity}\n");
            }
        }

        return text.ToString();
    }
}
