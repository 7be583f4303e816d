using System.Text;
using TenantGuard.Analyzers.Registry;

namespace TenantGuard.DocGen;

/// <summary>The rule lines of <c>docs/tenantguard.editorconfig</c>: each rule at its default severity, under its title.</summary>
public static class EditorConfigRules
{
    public static string Lines()
    {
        var text = new StringBuilder();
        foreach (var rule in TenantGuardRules.All)
        {
            text.Append($"# {rule.Id}: {RuleText.Title(rule)}\n");
            text.Append($"dotnet_diagnostic.{rule.Id}.severity = {RuleText.Severity(rule.DefaultSeverity)}\n");
        }

        return text.ToString();
    }
}
