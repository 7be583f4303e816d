using System.CommandLine;
using TenantGuard.Cli.Audit;
using TenantGuard.Cli.Live;
using TenantGuard.Cli.Report;

namespace TenantGuard.Cli;

/// <summary>
/// <c>tenantguard audit &lt;path&gt; [--connection] [--probe] [--schema] [--format] [--output] [--fail-on] [--strict] [--verbose]</c>.
/// </summary>
public static class Commands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var path = new Argument<string>("path") { Description = "A solution (.sln, .slnx), a C# project, or a folder of projects." };
        var connection = new Option<string?>("--connection") { Description = "A connection string of the live database to audit (the password is never printed)." };
        var probe = new Option<bool>("--probe") { Description = "Count each tenant table's rows with no tenant and with a random tenant, read-only, in a transaction that is rolled back." };
        var schema = new Option<string[]>("--schema") { Description = "The schema's .sql files (a path or glob, ** for any folders; repeatable), instead of the .sql files with DDL found under the audited folder." };
        var format = new Option<string>("--format") { Description = "markdown, sarif or json.", DefaultValueFactory = _ => "markdown" };
        format.AcceptOnlyFromAmong("markdown", "sarif", "json");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var failOn = new Option<string>("--fail-on") { Description = "Exit with 1 when a finding is at least this severe: none, suggestion, warning or error.", DefaultValueFactory = _ => "error" };
        failOn.AcceptOnlyFromAmong("none", "suggestion", "warning", "error");
        var strict = new Option<bool>("--strict") { Description = "Exit with 3 when a project does not restore, load or compile (the report is written all the same)." };
        var verbose = new Option<bool>("--verbose") { Description = "On an unexpected error, print its stack trace." };

        var audit = new Command("audit", "The multi-tenant audit of a solution, its migrations and, with --connection, a live PostgreSQL database.");
        audit.Arguments.Add(path);
        foreach (var option in new Option[] { connection, probe, schema, format, output, failOn, strict, verbose })
        {
            audit.Options.Add(option);
        }

        audit.SetAction(async (result, cancellationToken) =>
        {
            var progress = Console.Error;
            try
            {
                return await AuditAsync(
                    new CodeAudit.Request(result.GetValue(path)!, result.GetValue(schema) ?? []),
                    result.GetValue(connection),
                    result.GetValue(probe),
                    result.GetValue(format)!,
                    result.GetValue(output),
                    result.GetValue(failOn)!,
                    result.GetValue(strict),
                    progress,
                    cancellationToken);
            }
            catch (AuditInputException ex)
            {
                await progress.WriteLineAsync("tenantguard: " + ex.Message);
                return ex.ExitCode;
            }
            catch (OperationCanceledException)
            {
                await progress.WriteLineAsync("tenantguard: cancelled.");
                return ExitCodes.Unexpected;
            }
            catch (Exception ex)
            {
                await progress.WriteLineAsync($"tenantguard: the audit stopped on an unexpected error: {ex.GetBaseException().Message} ({ex.GetBaseException().GetType().Name}).");
                await progress.WriteLineAsync(result.GetValue(verbose)
                    ? ex.ToString()
                    : "Run the same command with --verbose for the stack trace, and report it with the command you ran.");
                return ExitCodes.Unexpected;
            }
        });

        var root = new RootCommand("TenantGuard: multi-tenant data access on PostgreSQL row-level security.");
        root.Subcommands.Add(audit);
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> AuditAsync(
        CodeAudit.Request request, string? connectionString, bool probe, string format, FileInfo? output, string failOn, bool strict, TextWriter progress, CancellationToken cancellationToken)
    {
        if (probe && connectionString is null)
        {
            throw new AuditInputException("--probe needs --connection.", ExitCodes.BadInput);
        }

        CodeAudit.CheckTarget(request.Target);
        Sdk.Locate(CodeAudit.Root(request.Target), progress);
        var report = new AuditReport { Target = request.Target };
        var code = await CodeAudit.RunAsync(request, report, progress, cancellationToken);
        if (connectionString is not null)
        {
            await LiveAudit.RunAsync(connectionString, probe, code, report, progress, cancellationToken);
        }

        var text = ReportWriters.Write(report, format);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output.FullName, text, cancellationToken);
            await progress.WriteLineAsync($"Report written to {output.FullName}");
        }
        else
        {
            await Console.Out.WriteAsync(text);
        }

        var threshold = failOn == "none" ? int.MaxValue : Finding.SeverityRank(failOn);
        await progress.WriteLineAsync($"{report.Count("error")} errors, {report.Count("warning")} warnings, {report.Count("suggestion")} suggestions");
        var withErrors = report.ProjectsWithErrors.ToList();
        if (withErrors.Count > 0)
        {
            await progress.WriteLineAsync($"{withErrors.Count} of {report.Projects.Count} projects did not restore, load or compile cleanly ({string.Join(", ", withErrors.Select(p => p.Name))}); "
                + (strict ? "--strict: exit code 3." : "their findings are marked; --strict makes this exit code 3."));
            if (strict)
            {
                return ExitCodes.ProjectDoesNotBuild;
            }
        }

        return report.Findings.Any(f => f.Rank >= threshold) ? ExitCodes.Findings : ExitCodes.Clean;
    }
}
