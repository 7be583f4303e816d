using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Cli.Report;

namespace TenantGuard.Cli.Audit;

/// <summary>A path the audit cannot work with, or a project it cannot compile: the message says which.</summary>
public sealed class AuditInputException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// Loads a solution, a project or the projects of a folder with MSBuildWorkspace and runs every TenantGuard rule on each
/// project with its own configuration (.editorconfig, .globalconfig, AdditionalFiles). A project that passes no .sql
/// migrations of its own gets the <c>**/migrations/**/*.sql</c> under its folder, as the package would pass them.
/// </summary>
internal static class CodeAudit
{
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(Analyzers.Descriptors).Assembly.GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>The projects' migrations, merged (for the drift against the live database).</summary>
    public sealed record Result(List<PolicyCatalog> Catalogs, HashSet<string> TenantTables);

    public static async Task<Result> RunAsync(string target, AuditReport report, TextWriter progress, CancellationToken cancellationToken)
    {
        var projectFiles = ProjectFiles(target, out var solution);
        Restore(solution ?? projectFiles[0], projectFiles, progress);

        using var workspace = MSBuildWorkspace.Create();
        var projects = new List<Project>();
        if (solution is not null)
        {
            progress.WriteLine($"Loading {solution} ...");
            projects.AddRange((await workspace.OpenSolutionAsync(solution, cancellationToken: cancellationToken)).Projects);
        }
        else
        {
            foreach (var file in projectFiles)
            {
                progress.WriteLine($"Loading {file} ...");
                var loaded = workspace.CurrentSolution.Projects.FirstOrDefault(p => SamePath(p.FilePath, file))
                    ?? await workspace.OpenProjectAsync(file, cancellationToken: cancellationToken);
                projects.Add(loaded);
            }
        }

        foreach (var failure in workspace.Diagnostics.Where(d => d.Kind == WorkspaceDiagnosticKind.Failure))
        {
            progress.WriteLine("  workspace: " + failure.Message);
        }

        var result = new Result(new List<PolicyCatalog>(), new HashSet<string>(StringComparer.Ordinal));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in projects.Where(p => p.Language == LanguageNames.CSharp).DistinctBy(p => p.FilePath).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            progress.WriteLine($"Analyzing {project.Name} ...");
            var compilation = await project.GetCompilationAsync(cancellationToken)
                ?? throw new AuditInputException($"{project.FilePath}: the project could not be compiled.", ExitCodes.ProjectDoesNotBuild);
            var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
            if (errors.Count > 0)
            {
                throw new AuditInputException(
                    $"{project.FilePath} does not build ({errors.Count}+ errors; run 'dotnet build' on it first):\n  " + string.Join("\n  ", errors.Select(e => e.ToString())),
                    ExitCodes.ProjectDoesNotBuild);
            }

            report.Projects.Add(project.Name);
            var additional = project.AnalyzerOptions.AdditionalFiles;
            if (!additional.Any(f => f.Path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)) && Path.GetDirectoryName(project.FilePath) is { } folder)
            {
                additional = additional.AddRange(Migrations(folder));
            }

            var options = new AnalyzerOptions(additional, project.AnalyzerOptions.AnalyzerConfigOptionsProvider);
            var catalog = MigrationSources.Read(compilation, additional, cancellationToken);
            result.Catalogs.Add(catalog);
            report.MigrationDocuments += catalog.Documents;
            foreach (var table in catalog.RlsTables)
            {
                result.TenantTables.Add(table);
            }

            var diagnostics = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);
            foreach (var diagnostic in diagnostics)
            {
                if (diagnostic.Severity == DiagnosticSeverity.Hidden)
                {
                    continue;
                }

                var span = diagnostic.Location.GetMappedLineSpan();
                var file = span.Path is { Length: > 0 } path ? path : null;
                var line = file is null ? (int?)null : span.StartLinePosition.Line + 1;
                var where = file is null ? project.Name : $"{Relative(file)}:{line}";
                if (!seen.Add($"{diagnostic.Id}|{where}|{diagnostic.GetMessage()}"))
                {
                    continue; // a migration shared by two projects
                }

                var isMigration = diagnostic.Id.StartsWith("TG2", StringComparison.Ordinal);
                report.Findings.Add(new Finding(
                    diagnostic.Id,
                    Severity(diagnostic.Severity),
                    isMigration ? FindingSource.Migration : FindingSource.Code,
                    diagnostic.GetMessage(),
                    where,
                    file is null ? null : Relative(file),
                    line,
                    diagnostic.Descriptor.HelpLinkUri,
                    project.Name));
            }
        }

        if (report.Projects.Count == 0)
        {
            throw new AuditInputException($"{target}: no C# project to audit.", ExitCodes.BadInput);
        }

        return result;
    }

    public static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private static bool SamePath(string? a, string b) => a is not null && string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    /// <summary>The solution, or the projects, a path names; a clear error for anything else.</summary>
    private static List<string> ProjectFiles(string target, out string? solution)
    {
        solution = null;
        var full = Path.GetFullPath(target);
        if (File.Exists(full))
        {
            var extension = Path.GetExtension(full).ToLowerInvariant();
            if (extension is ".sln" or ".slnx")
            {
                solution = full;
                return [full];
            }

            if (extension == ".csproj")
            {
                return [full];
            }

            throw new AuditInputException($"{target} is not a solution (.sln, .slnx), a C# project (.csproj) or a folder.", ExitCodes.BadInput);
        }

        if (!Directory.Exists(full))
        {
            throw new AuditInputException($"{target} does not exist.", ExitCodes.BadInput);
        }

        var solutions = Directory.GetFiles(full, "*.sln").Concat(Directory.GetFiles(full, "*.slnx")).ToList();
        if (solutions.Count == 1)
        {
            solution = solutions[0];
            return [solutions[0]];
        }

        var projects = Directory.EnumerateFiles(full, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            .Order(StringComparer.Ordinal)
            .ToList();
        return projects.Count > 0
            ? projects
            : throw new AuditInputException($"{target} holds no solution and no C# project.", ExitCodes.BadInput);
    }

    /// <summary>MSBuildWorkspace reads restored projects: restore the ones that are not (a fresh clone).</summary>
    private static void Restore(string target, List<string> projects, TextWriter progress)
    {
        if (projects.All(p => File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "obj", "project.assets.json"))) && !target.EndsWith("sln", StringComparison.Ordinal) && !target.EndsWith("slnx", StringComparison.Ordinal))
        {
            return;
        }

        progress.WriteLine($"Restoring {target} ...");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("restore");
        info.ArgumentList.Add(target);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new AuditInputException($"dotnet restore {target} failed:\n{output.Result}{error.Result}", ExitCodes.ProjectDoesNotBuild);
        }
    }

    private static IEnumerable<AdditionalText> Migrations(string folder) =>
        Directory.EnumerateFiles(folder, "*.sql", SearchOption.AllDirectories)
            .Where(f => f.Split(Path.DirectorySeparatorChar).Contains("migrations") && !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(f => (AdditionalText)new FileText(f));

    /// <summary>A file passed to the analyzers as an AdditionalFile.</summary>
    public sealed class FileText(string path, string? content = null) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(content ?? File.ReadAllText(Path));
    }
}

/// <summary>The tool's exit codes.</summary>
public static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int BadInput = 2;
    public const int ProjectDoesNotBuild = 3;
    public const int ConnectionFailed = 4;
    public const int DatabaseWithoutTables = 5;
}
