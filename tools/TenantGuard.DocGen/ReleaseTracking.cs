using System.Text;
using TenantGuard.Analyzers.Registry;

namespace TenantGuard.DocGen;

/// <summary>
/// The release-tracking files of the analyzers (<c>AnalyzerReleases.Shipped.md</c>, <c>AnalyzerReleases.Unshipped.md</c>):
/// the unshipped release's "New Rules" table lists every rule no release has shipped, as the registry has it; and after
/// every row of both files is read in order (new, changed, removed), each rule stands at its descriptor's category and
/// severity.
/// </summary>
public static class ReleaseTracking
{
    public const string Shipped = "src/Analyzers/AnalyzerReleases.Shipped.md";
    public const string Unshipped = "src/Analyzers/AnalyzerReleases.Unshipped.md";

    private const string NewRules = "### New Rules";

    /// <summary>The unshipped file with its "New Rules" table written from the registry (other sections kept).</summary>
    public static string UnshippedText(string shipped, string unshipped)
    {
        var shippedIds = Rows(shipped).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var table = new StringBuilder();
        table.Append("Rule ID | Category | Severity | Notes\n--------|----------|----------|-------\n");
        foreach (var rule in TenantGuardRules.All.Where(r => !shippedIds.Contains(r.Id)))
        {
            table.Append($"{rule.Id} | {rule.Category} | {Severity(rule)} | {rule.Analyzer.Name}\n");
        }

        var lines = unshipped.Split('\n').ToList();
        var section = lines.IndexOf(NewRules);
        if (section < 0)
        {
            return unshipped.TrimEnd('\n') + "\n\n" + NewRules + "\n\n" + table;
        }

        // The section's table: from its header line to the first line that is not a row.
        var start = section + 1;
        while (start < lines.Count && lines[start].Length == 0)
        {
            start++;
        }

        var end = start;
        while (end < lines.Count && lines[end].Contains('|', StringComparison.Ordinal))
        {
            end++;
        }

        var before = string.Join("\n", lines.Take(start));
        var after = string.Join("\n", lines.Skip(end));
        return before + "\n" + table + after;
    }

    /// <summary>What the two files say that the registry contradicts, read row by row.</summary>
    public static IEnumerable<string> Problems(string shipped, string unshipped)
    {
        var state = new Dictionary<string, (string Category, string Severity)>(StringComparer.Ordinal);
        foreach (var row in Rows(shipped).Concat(Rows(unshipped)))
        {
            if (row.Section == "### Removed Rules")
            {
                state.Remove(row.Id);
            }
            else if (row.Cells.Length >= 3)
            {
                state[row.Id] = (row.Cells[1], row.Cells[2]);
            }
        }

        foreach (var rule in TenantGuardRules.All)
        {
            if (!state.TryGetValue(rule.Id, out var tracked))
            {
                yield return $"{Unshipped}: no row for {rule.Id}";
            }
            else if (tracked != (rule.Category, Severity(rule)))
            {
                yield return $"{Shipped} / {Unshipped}: {rule.Id} is tracked as {tracked.Category} {tracked.Severity}, its descriptor says {rule.Category} {Severity(rule)} (a shipped rule's change goes under ### Changed Rules)";
            }
        }

        foreach (var id in state.Keys.Where(id => TenantGuardRules.Find(id) is null))
        {
            yield return $"{Shipped} / {Unshipped}: {id} is tracked but is no rule of the registry (a removed rule goes under ### Removed Rules)";
        }
    }

    private static string Severity(TenantGuardRule rule) => rule.Descriptor.IsEnabledByDefault ? rule.DefaultSeverity.ToString() : "Disabled";

    private static IEnumerable<(string Section, string Id, string[] Cells)> Rows(string text)
    {
        var section = string.Empty;
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                section = line.Trim();
            }
            else if (line.Contains('|', StringComparison.Ordinal) && !line.StartsWith("Rule ID", StringComparison.Ordinal) && !line.StartsWith("---", StringComparison.Ordinal))
            {
                var cells = line.Split('|').Select(c => c.Trim()).ToArray();
                yield return (section, cells[0], cells);
            }
        }
    }
}
