namespace TenantGuard.DocGen;

/// <summary>
/// The lines that delimit a generated region inside a hand-written file. What lies between them is the generator's;
/// everything else is left as it is.
/// </summary>
public sealed record Markers(string Begin, string End)
{
    /// <summary>The rule table of a Markdown document.</summary>
    public static readonly Markers MarkdownRules = new("<!-- rules:begin (generated: dotnet run --project tools/TenantGuard.DocGen) -->", "<!-- rules:end -->");

    /// <summary>The rule lines of an .editorconfig.</summary>
    public static readonly Markers EditorConfigRules = new("# rules:begin (generated from TenantGuard's rule registry)", "# rules:end");

    /// <summary>
    /// <paramref name="text"/> with the lines between the markers replaced by <paramref name="region"/> (which ends with a
    /// line end), or null when the markers are not there, each once and in order.
    /// </summary>
    public string? Replace(string text, string region)
    {
        var begin = LineIndex(text, Begin);
        var end = LineIndex(text, End);
        if (begin < 0 || end < begin || LineIndex(text.Substring(begin + Begin.Length), Begin) >= 0)
        {
            return null;
        }

        var start = begin + Begin.Length + 1;
        return text.Substring(0, start) + region + text.Substring(end);
    }

    private static int LineIndex(string text, string line)
    {
        for (var index = text.IndexOf(line, StringComparison.Ordinal); index >= 0; index = text.IndexOf(line, index + 1, StringComparison.Ordinal))
        {
            var startsLine = index == 0 || text[index - 1] == '\n';
            var endsLine = index + line.Length < text.Length && text[index + line.Length] == '\n';
            if (startsLine && endsLine)
            {
                return index;
            }
        }

        return -1;
    }
}
