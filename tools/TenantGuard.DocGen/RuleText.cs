using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Registry;

namespace TenantGuard.DocGen;

/// <summary>How the documents write a rule's properties.</summary>
public static partial class RuleText
{
    /// <summary>The severity as .editorconfig names it (<c>suggestion</c> for Info).</summary>
    public static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };

    /// <summary>A category without its <c>TenantGuard.</c> prefix: <c>Schema</c>.</summary>
    public static string ShortCategory(string category) =>
        category.StartsWith("TenantGuard.", StringComparison.Ordinal) ? category.Substring("TenantGuard.".Length) : category;

    public static string Title(TenantGuardRule rule) => rule.Descriptor.Title.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The title in Markdown: SQL and identifiers as code (<c>SET</c>, <c>current_setting</c>, <c>security_invoker</c>,
    /// and what the title quotes, <c>'::'</c>).
    /// </summary>
    public static string MarkdownTitle(TenantGuardRule rule)
    {
        var title = Quoted().Replace(Title(rule), "`$1`");
        return Code().Replace(title, "`$1`");
    }

    /// <summary>A title as the pages and tables may write it, for comparing: no code marks, no quotes.</summary>
    public static string Plain(string title) => Quoted().Replace(title, "$1").Replace("`", string.Empty).Trim();

    [GeneratedRegex(@"(?<=^|\s)'([^'\s]+)'(?=\s|$)")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"(?<![`\w])(SET|[a-z]+(?:_[a-z]+)+)(?![`\w])")]
    private static partial Regex Code();
}
