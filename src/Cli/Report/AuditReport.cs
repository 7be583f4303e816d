namespace TenantGuard.Cli.Report;

/// <summary>What the live database says about one table under audit.</summary>
public sealed class TableRow
{
    public required string Name { get; init; }

    public bool InDatabase { get; set; }

    public bool RlsEnabled { get; set; }

    public bool RlsForced { get; set; }

    public string Owner { get; set; } = "";

    public List<string> Policies { get; } = new();

    public SortedSet<string> Settings { get; } = new(StringComparer.Ordinal);

    public List<string> Findings { get; } = new();

    /// <summary>Rows the probe counted with no tenant setting ("error: ..." when the query failed, null when not probed).</summary>
    public string? ProbeWithoutTenant { get; set; }

    /// <summary>Rows the probe counted with a random tenant id.</summary>
    public string? ProbeRandomTenant { get; set; }
}

/// <summary>The connection the live part ran with.</summary>
public sealed record DatabaseInfo(string Server, string Database, string Role, bool Superuser, bool BypassRls, IReadOnlyList<string> OwnedTenantTables);

/// <summary>How far the audit got with a project.</summary>
public enum ProjectStatus
{
    /// <summary>Loaded, compiled without errors, analyzed.</summary>
    Analyzed,

    /// <summary>Restore or compilation errors; analyzed as far as Roslyn could bind it.</summary>
    AnalyzedWithErrors,

    /// <summary>Could not be loaded or compiled at all: not analyzed.</summary>
    NotAnalyzed,
}

/// <summary>One project of the audit: how far it got, its first errors, and the catalog its rules used.</summary>
public sealed class ProjectReport
{
    public required string Name { get; init; }

    public required string Path { get; init; }

    public ProjectStatus Status { get; set; }

    /// <summary>The first restore and compiler errors (at most five of each), as the build prints them.</summary>
    public List<string> Errors { get; } = new();

    /// <summary>Where its catalog came from: its own migrations, the repository's schema, or none.</summary>
    public string Catalog { get; set; } = "none";

    /// <summary>The .sql files of its catalog.</summary>
    public List<string> SchemaFiles { get; } = new();
}

/// <summary>The whole audit: what was read, and every finding.</summary>
public sealed class AuditReport
{
    public required string Target { get; init; }

    public List<ProjectReport> Projects { get; } = new();

    /// <summary>Every .sql schema file read, in path order.</summary>
    public SortedSet<string> SchemaFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Projects with restore or compile errors, or not analyzed at all.</summary>
    public IEnumerable<ProjectReport> ProjectsWithErrors => Projects.Where(p => p.Status != ProjectStatus.Analyzed);

    public int MigrationDocuments { get; set; }

    public DatabaseInfo? Database { get; set; }

    public bool Probed { get; set; }

    public List<Finding> Findings { get; } = new();

    public SortedDictionary<string, TableRow> Tables { get; } = new(StringComparer.Ordinal);

    public TableRow Table(string name) => Tables.TryGetValue(name, out var row) ? row : Tables[name] = new TableRow { Name = name };

    public IEnumerable<Finding> Ordered() =>
        Findings.OrderByDescending(f => f.Rank).ThenBy(f => f.Source).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Where, StringComparer.Ordinal);

    public int Count(string severity) => Findings.Count(f => f.Severity == severity);
}
