using System.CommandLine;
using TenantGuard.Cli.Audit;
using TenantGuard.Cli.Live;
using TenantGuard.Cli.Report;

namespace TenantGuard.Cli;

/// <summary><c>tenantguard audit &lt;path&gt; [--connection] [--probe] [--format] [--output] [--fail-on]</c>.</summary>
public static class Commands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var path = new Argument<string>("path") { Description = "A solution (.sln, .slnx), a C# project, or a folder of projects." };
        var connection = new Option<string?>("--connection") { Description = "A connection string of the live database to audit (the password is never printed)." };
        var probe = new Option<bool>("--probe") { Description = "Count each tenant table's rows with no tenant and with a random tenant, read-only, in a transaction that is rolled back." };
        var format = new Option<string>("--format") { Description = "markdown, sarif or json.", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong("markdown", "sarif", "json");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var failOn = new Option<string>("--fail-on") { Description = "Exit with 1 when a finding is at least this severe: none, suggestion, warning or error.", DefaultValueFactory = _ => "error" };
        failOn.AcceptOnlyFromAmong("none", "suggestion", "warning", "error");

        var audit = new Command("audit", "The multi-tenant audit of a solution, its migrations and, with --connection, a live PostgreSQL database.");
        audit.Arguments.Add(path);
        foreach (var option in new Option[] { connection, probe, format, output, failOn })
        {
            audit.Options.Add(option);
        }

        audit.SetAction(async (result, cancellationToken) =>
        {
            var progress = Console.Error;
            var report = new AuditReport { Target = result.GetValue(path)! };
            try
            {
                if (result.GetValue(probe) && result.GetValue(connection) is null)
                {
                    throw new AuditInputException("--probe needs --connection.", ExitCodes.BadInput);
                }

                var code = await CodeAudit.RunAsync(report.Target, report, progress, cancellationToken);
                if (result.GetValue(connection) is { } connectionString)
                {
                    await LiveAudit.RunAsync(connectionString, result.GetValue(probe), code, report, progress, cancellationToken);
                }
            }
            catch (AuditInputException ex)
            {
                await progress.WriteLineAsync("tenantguard: " + ex.Message);
                return ex.ExitCode;
            }

            var text = ReportWriters.Write(report, result.GetValue(format)!);
            if (result.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, text, cancellationToken);
                await progress.WriteLineAsync($"Report written to {file.FullName}");
            }
            else
            {
                await Console.Out.WriteAsync(text);
            }

            var threshold = result.GetValue(failOn) == "none" ? int.MaxValue : Finding.SeverityRank(result.GetValue(failOn)!);
            await progress.WriteLineAsync($"{report.Count("error")} errors, {report.Count("warning")} warnings, {report.Count("suggestion")} suggestions");
            return report.Findings.Any(f => f.Rank >= threshold) ? ExitCodes.Findings : ExitCodes.Clean;
        });

        var root = new RootCommand("TenantGuard: multi-tenant data access on PostgreSQL row-level security.");
        root.Subcommands.Add(audit);
        return await root.Parse(args).InvokeAsync();
    }
}
