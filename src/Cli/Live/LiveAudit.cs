using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Npgsql;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Registry;
using TenantGuard.Cli.Audit;
using TenantGuard.Cli.Report;

namespace TenantGuard.Cli.Live;

/// <summary>The live part of the audit: the schema rules on the database's catalog, the drift from the migrations, the probe.</summary>
internal static class LiveAudit
{
    public static async Task RunAsync(string connectionString, bool probe, CodeAudit.Result code, AuditReport report, TextWriter progress, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new AuditInputException("The connection string cannot be read: " + ex.Message, ExitCodes.ConnectionFailed);
        }

        var shown = $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}"; // never the password
        progress.WriteLine($"Reading the catalog of {shown} ...");
        await using var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            var reason = ex is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : ex.Message;
            throw new AuditInputException($"Could not connect to {shown}: {reason}", ExitCodes.ConnectionFailed);
        }

        var live = await LiveCatalog.ReadAsync(connection, cancellationToken);
        var liveCatalog = await SchemaRulesAsync(live, report, cancellationToken);

        var migrations = Merge(code.Catalogs);
        if (migrations.Count > 0 && !migrations.Keys.Any(live.Tables.ContainsKey))
        {
            throw new AuditInputException(
                $"{shown} has none of the tables of the migrations ({string.Join(", ", migrations.Keys.Take(5))}...): is it the application's database?",
                ExitCodes.DatabaseWithoutTables);
        }

        Drift(live, migrations, code.TenantTables, report);
        var owned = live.Tables.Values.Where(t => t.Owner == live.Role && (t.RlsEnabled || code.TenantTables.Contains(t.Name))).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        report.Database = new DatabaseInfo(live.Server, live.Database, live.Role, live.Superuser, live.BypassRls, owned);
        if (live.Superuser || live.BypassRls || owned.Any(t => !live.Tables[t].RlsForced))
        {
            var why = live.Superuser ? "is a superuser" : live.BypassRls ? "has BYPASSRLS" : $"owns {string.Join(", ", owned.Where(t => !live.Tables[t].RlsForced))} without FORCE ROW LEVEL SECURITY";
            report.Findings.Add(new Finding(AuditRules.PrivilegedConnection.Id, AuditRules.PrivilegedConnection.Severity, FindingSource.Drift,
                $"The role '{live.Role}' {why}: every query on this connection passes the policies. {AuditRules.PrivilegedConnection.Fix}", $"role {live.Role}"));
        }

        foreach (var table in live.Tables.Values.Where(t => t.RlsEnabled || code.TenantTables.Contains(t.Name)))
        {
            var row = report.Table(table.Name);
            row.InDatabase = true;
            row.RlsEnabled = table.RlsEnabled;
            row.RlsForced = table.RlsForced;
            row.Owner = table.Owner;
            row.Policies.AddRange(table.Policies.Select(p => $"{p.Name} ({p.Command}{(p.Permissive ? "" : ", restrictive")})"));
            if ((liveCatalog.Table(table.Name) ?? liveCatalog.Table(table.Name.Substring(table.Name.LastIndexOf('.') + 1))) is { } parsed)
            {
                foreach (var setting in parsed.Policies.SelectMany(p => p.Settings))
                {
                    row.Settings.Add(setting);
                }
            }
        }

        if (probe)
        {
            progress.WriteLine("Probing the tenant tables (read-only, rolled back) ...");
            await ProbeAsync(connection, report, liveCatalog.PolicySettings, cancellationToken);
        }
    }

    /// <summary>The schema rules on the live catalog, written as DDL and read by the same SQL reader.</summary>
    private static async Task<PolicyCatalog> SchemaRulesAsync(LiveCatalog live, AuditReport report, CancellationToken cancellationToken)
    {
        var path = $"live/{live.Database}.sql";
        var text = new AdditionalFileText(path, live.Ddl);
        // The schema rules need the catalog alone: a compilation with no code and no reference but the live DDL.
        var compilation = CSharpCompilation.Create("live", [], [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)], new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var additional = ImmutableArray.Create<AdditionalText>(text);
        var diagnostics = await compilation.WithAnalyzers(CodeAudit.Analyzers, new AnalyzerOptions(additional)).GetAnalyzerDiagnosticsAsync(cancellationToken);
        foreach (var diagnostic in diagnostics.Where(d => TenantGuardRules.IsSchema(d.Descriptor) && d.Severity != DiagnosticSeverity.Hidden))
        {
            var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1;
            var where = live.ObjectAt(line);
            report.Findings.Add(new Finding(diagnostic.Id, CodeAudit.Severity(diagnostic.Severity), FindingSource.LiveSchema, diagnostic.GetMessage(),
                $"{live.Database}: {where}", HelpUri: diagnostic.Descriptor.HelpLinkUri));
            report.Table(where).Findings.Add(diagnostic.Id);
        }

        return MigrationSources.Read(compilation, additional, cancellationToken);
    }

    private static Dictionary<string, CatalogTable> Merge(List<PolicyCatalog> catalogs)
    {
        var tables = new Dictionary<string, CatalogTable>(StringComparer.Ordinal);
        foreach (var table in catalogs.SelectMany(c => c.Tables.Values).Where(t => t.Created || t.IsUnderRls))
        {
            tables.TryAdd(table.Schema is null or "public" ? table.Name : table.Schema + "." + table.Name, table);
        }

        return tables;
    }

    /// <summary>The live database against the migrations, and against the tables the code treats as tenant tables.</summary>
    private static void Drift(LiveCatalog live, Dictionary<string, CatalogTable> migrations, HashSet<string> tenantTables, AuditReport report)
    {
        void Add(AuditRules.Rule rule, string table, string message)
        {
            report.Findings.Add(new Finding(rule.Id, rule.Severity, FindingSource.Drift, $"{message} {rule.Fix}", $"{live.Database}: {table}"));
            report.Table(table).Findings.Add(rule.Id);
        }

        foreach (var (name, table) in migrations.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!live.Tables.TryGetValue(name, out var actual))
            {
                if (table.Created)
                {
                    Add(AuditRules.TableMissing, name, $"The migrations create '{name}'; the database has no such table.");
                }

                continue;
            }

            if (table.RlsEnabled && !actual.RlsEnabled)
            {
                Add(AuditRules.RlsOffLive, name, $"The migrations enable row-level security on '{name}'; in the database it is off.");
            }
            else if (table.RlsForced && !actual.RlsForced)
            {
                Add(AuditRules.NotForcedLive, name, $"The migrations force row-level security on '{name}'; in the database it is not forced.");
            }

            foreach (var policy in table.Policies.Where(p => !actual.Policies.Any(a => a.Name == p.Name)))
            {
                Add(AuditRules.PolicyMissing, name, $"The migrations create policy '{policy.Name}' on '{name}'; the database does not have it.");
            }
        }

        foreach (var name in tenantTables.Where(t => live.Tables.TryGetValue(t, out var actual) && !actual.RlsEnabled && !(migrations.TryGetValue(t, out var m) && m.RlsEnabled)).Order(StringComparer.Ordinal))
        {
            Add(AuditRules.TenantTableWithoutRls, name, $"The code treats '{name}' as a tenant table; in the database it is not under row-level security.");
        }
    }

    /// <summary>
    /// As the connecting role, in one read-only transaction that is rolled back: each tenant table counted with no
    /// tenant setting, then with a random tenant id in every setting the policies read. Both should show no row.
    /// </summary>
    private static async Task ProbeAsync(NpgsqlConnection connection, AuditReport report, ImmutableHashSet<string> settings, CancellationToken cancellationToken)
    {
        report.Probed = true;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction, "SET TRANSACTION READ ONLY", cancellationToken);
        foreach (var row in report.Tables.Values.Where(r => r.InDatabase))
        {
            row.ProbeWithoutTenant = await CountAsync(connection, transaction, row.Name, cancellationToken);
        }

        var tenant = Guid.NewGuid().ToString();
        foreach (var setting in settings.Order(StringComparer.Ordinal))
        {
            await using var set = new NpgsqlCommand("SELECT set_config(@name, @value, true)", connection, transaction);
            set.Parameters.AddWithValue("name", setting);
            set.Parameters.AddWithValue("value", tenant);
            await set.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var row in report.Tables.Values.Where(r => r.InDatabase))
        {
            row.ProbeRandomTenant = await CountAsync(connection, transaction, row.Name, cancellationToken);
        }

        await transaction.RollbackAsync(cancellationToken);
        foreach (var row in report.Tables.Values.Where(r => r.InDatabase))
        {
            foreach (var (count, how) in new[] { (row.ProbeWithoutTenant, "with no tenant setting"), (row.ProbeRandomTenant, $"with a random tenant id in {string.Join(", ", settings.Order(StringComparer.Ordinal))}") })
            {
                if (long.TryParse(count, out var rows) && rows > 0)
                {
                    report.Findings.Add(new Finding(AuditRules.ProbeLeak.Id, AuditRules.ProbeLeak.Severity, FindingSource.Probe,
                        $"'{row.Name}' shows {rows} rows to '{report.Database?.Role}' {how}. {AuditRules.ProbeLeak.Fix}", $"{report.Database?.Database}: {row.Name}"));
                    row.Findings.Add(AuditRules.ProbeLeak.Id);
                }
            }
        }
    }

    private static async Task<string> CountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        await Execute(connection, transaction, "SAVEPOINT probe", cancellationToken);
        try
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection, transaction);
            var rows = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            await Execute(connection, transaction, "RELEASE SAVEPOINT probe", cancellationToken);
            return rows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException ex)
        {
            await Execute(connection, transaction, "ROLLBACK TO SAVEPOINT probe", cancellationToken);
            return $"error {ex.SqlState}";
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
