using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TenantGuard.Analyzers;

namespace TenantGuard.Cli.Report;

/// <summary>The report as Markdown (for a reviewer), SARIF 2.1.0 (for code-scanning upload) or JSON (for scripts).</summary>
internal static class ReportWriters
{
    public static string Write(AuditReport report, string format) => format switch
    {
        "sarif" => Sarif(report),
        "json" => Json(report),
        _ => Markdown(report),
    };

    public static string Markdown(AuditReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"# TenantGuard audit: {report.Target}");
        text.AppendLine();
        text.AppendLine($"Projects: {string.Join(", ", report.Projects.Select(p => p.Name + (p.Status == ProjectStatus.Analyzed ? "" : $" ({Status(p.Status)})")))}; " +
            $"schema files read: {report.SchemaFiles.Count}; migration documents read: {report.MigrationDocuments}.");
        if (report.Database is { } db)
        {
            text.AppendLine($"Database: {db.Server}/{db.Database} as `{db.Role}` ({(db.Superuser ? "superuser" : db.BypassRls ? "BYPASSRLS" : "no superuser, no BYPASSRLS")}; " +
                (db.OwnedTenantTables.Count == 0 ? "owns no tenant table" : "owns " + string.Join(", ", db.OwnedTenantTables)) + ").");
            text.AppendLine(report.Probed ? "Probe: run (read-only, rolled back)." : "Probe: not run (--probe).");
        }
        else
        {
            text.AppendLine("Database: not audited (--connection).");
        }

        text.AppendLine();
        text.AppendLine("## Summary");
        text.AppendLine();
        text.AppendLine("| severity | findings |");
        text.AppendLine("|---|---:|");
        foreach (var severity in new[] { "error", "warning", "suggestion" })
        {
            text.AppendLine($"| {severity} | {report.Count(severity)} |");
        }

        text.AppendLine();
        text.AppendLine("## Findings");
        text.AppendLine();
        if (report.Findings.Count == 0)
        {
            text.AppendLine("None.");
        }

        foreach (var finding in report.Ordered())
        {
            var caveat = finding.FromProjectWithErrors ? $" (from {finding.Project}, a project with errors: its code may be read only in part)" : "";
            text.AppendLine($"- **{finding.Severity} {finding.RuleId}** ({Source(finding.Source)}) `{finding.Where}`: {finding.Message}{caveat}");
        }

        text.AppendLine();
        text.AppendLine("## Projects");
        text.AppendLine();
        text.AppendLine("| project | status | catalog | first errors |");
        text.AppendLine("|---|---|---|---|");
        foreach (var project in report.Projects)
        {
            var errors = string.Join("<br>", project.Errors.Select(e => "`" + e.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal) + "`"));
            text.AppendLine($"| {project.Name} (`{project.Path}`) | {Status(project.Status)} | {project.Catalog} | {errors} |");
        }

        text.AppendLine();
        text.AppendLine("## Schema files");
        text.AppendLine();
        if (report.SchemaFiles.Count == 0)
        {
            text.AppendLine("None: no .sql file with DDL was found (name them with --schema).");
        }

        foreach (var file in report.SchemaFiles)
        {
            text.AppendLine($"- `{file}`");
        }

        if (report.Tables.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Tables");
            text.AppendLine();
            text.AppendLine("| table | RLS | forced | policies | settings read | findings | rows without tenant | rows, random tenant |");
            text.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var row in report.Tables.Values)
            {
                text.AppendLine($"| {row.Name} | {(row.InDatabase ? YesNo(row.RlsEnabled) : "missing")} | {(row.InDatabase ? YesNo(row.RlsForced) : "")} | {string.Join("; ", row.Policies)} | " +
                    $"{string.Join(", ", row.Settings)} | {string.Join(", ", row.Findings.Distinct())} | {row.ProbeWithoutTenant ?? ""} | {row.ProbeRandomTenant ?? ""} |");
            }
        }

        var rules = report.Findings.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal).ToList();
        if (rules.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Rules and fixes");
            foreach (var id in rules)
            {
                text.AppendLine();
                text.AppendLine($"### {id}: {Title(id)}");
                text.AppendLine();
                text.AppendLine(Fix(id));
            }
        }

        return text.ToString();
    }

    public static string Json(AuditReport report) => JsonSerializer.Serialize(new
    {
        target = report.Target,
        projects = report.Projects.Select(p => new { p.Name, p.Path, status = p.Status.ToString(), p.Errors, p.Catalog, p.SchemaFiles }),
        schemaFiles = report.SchemaFiles,
        migrationDocuments = report.MigrationDocuments,
        database = report.Database,
        probed = report.Probed,
        summary = new { error = report.Count("error"), warning = report.Count("warning"), suggestion = report.Count("suggestion") },
        findings = report.Ordered().Select(f => new { rule = f.RuleId, severity = f.Severity, source = f.Source.ToString(), f.Message, f.Where, f.File, f.Line, help = f.HelpUri, f.Project, f.FromProjectWithErrors }),
        tables = report.Tables.Values,
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public static string Sarif(AuditReport report)
    {
        var rules = new JsonArray();
        foreach (var id in report.Findings.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal))
        {
            var rule = new JsonObject { ["id"] = id, ["shortDescription"] = new JsonObject { ["text"] = Title(id) }, ["help"] = new JsonObject { ["text"] = Fix(id) } };
            if (report.Findings.First(f => f.RuleId == id).HelpUri is { } help)
            {
                rule["helpUri"] = help;
            }

            rules.Add(rule);
        }

        var results = new JsonArray();
        foreach (var finding in report.Ordered())
        {
            var location = finding.File is not null
                ? new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = finding.File.Replace('\\', '/') },
                        ["region"] = new JsonObject { ["startLine"] = finding.Line ?? 1 },
                    },
                }
                : new JsonObject { ["logicalLocations"] = new JsonArray(new JsonObject { ["fullyQualifiedName"] = finding.Where, ["kind"] = "resource" }) };
            var sarifResult = new JsonObject
            {
                ["ruleId"] = finding.RuleId,
                ["level"] = finding.Severity switch { "error" => "error", "warning" => "warning", _ => "note" },
                ["message"] = new JsonObject { ["text"] = finding.Message },
                ["locations"] = new JsonArray(location),
            };
            if (finding.FromProjectWithErrors)
            {
                sarifResult["properties"] = new JsonObject { ["fromProjectWithErrors"] = true, ["project"] = finding.Project };
            }

            results.Add(sarifResult);
        }

        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject { ["driver"] = new JsonObject { ["name"] = "TenantGuard", ["informationUri"] = Descriptors.HelpLinkBase, ["rules"] = rules } },
                ["results"] = results,
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Status(ProjectStatus status) => status switch
    {
        ProjectStatus.Analyzed => "analyzed",
        ProjectStatus.AnalyzedWithErrors => "analyzed, with errors",
        _ => "not analyzed",
    };

    private static string YesNo(bool value) => value ? "yes" : "**no**";

    private static string Source(FindingSource source) => source switch
    {
        FindingSource.Code => "code",
        FindingSource.Migration => "migration",
        FindingSource.LiveSchema => "live schema",
        FindingSource.Drift => "database vs migrations",
        _ => "probe",
    };

    private static Microsoft.CodeAnalysis.DiagnosticDescriptor? Descriptor(string id) =>
        Cli.Audit.CodeAudit.Analyzers.SelectMany(a => a.SupportedDiagnostics).FirstOrDefault(d => d.Id == id);

    private static string Title(string id) =>
        AuditRules.All.FirstOrDefault(r => r.Id == id)?.Title
        ?? Descriptor(id)?.Title.ToString(System.Globalization.CultureInfo.InvariantCulture)
        ?? id;

    private static string Fix(string id)
    {
        if (AuditRules.All.FirstOrDefault(r => r.Id == id) is { } audit)
        {
            return audit.Fix + " (docs/audit.md)";
        }

        var description = Descriptor(id)?.Description.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (string.IsNullOrEmpty(description) ? "" : description + " ") + $"How to fix, with examples: {Descriptors.HelpLinkBase}{id}.md";
    }
}
