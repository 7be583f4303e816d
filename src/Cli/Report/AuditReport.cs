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

/// <summary>The whole audit: what was read, and every finding.</summary>
public sealed class AuditReport
{
    public required string Target { get; init; }

    public List<string> Projects { get; } = new();

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
