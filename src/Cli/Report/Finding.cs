namespace TenantGuard.Cli.Report;

/// <summary>Where a finding comes from.</summary>
public enum FindingSource
{
    /// <summary>A TenantGuard rule on the code.</summary>
    Code,

    /// <summary>A schema rule (category TenantGuard.Schema) on a migration of the project.</summary>
    Migration,

    /// <summary>A schema rule on the live database's catalog.</summary>
    LiveSchema,

    /// <summary>The live database differs from the migrations.</summary>
    Drift,

    /// <summary>The read-only probe saw rows it should not.</summary>
    Probe,
}

/// <summary>One finding of the audit: a rule, its severity, what it says and where.</summary>
public sealed record Finding(
    string RuleId,
    string Severity,
    FindingSource Source,
    string Message,
    string Where,
    string? File = null,
    int? Line = null,
    string? HelpUri = null,
    string? Project = null,
    bool FromProjectWithErrors = false)
{
    /// <summary>error 3, warning 2, suggestion 1, anything else 0: the order of the report and of --fail-on.</summary>
    public int Rank => SeverityRank(Severity);

    public static int SeverityRank(string severity) => severity switch
    {
        "error" => 3,
        "warning" => 2,
        "suggestion" => 1,
        _ => 0,
    };
}
