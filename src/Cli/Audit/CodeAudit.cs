using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Registry;
using TenantGuard.Cli.Report;

namespace TenantGuard.Cli.Audit;

/// <summary>
/// Loads a solution, a project or the projects of a folder with MSBuildWorkspace and runs every TenantGuard rule on each
/// project with its own configuration (.editorconfig, .globalconfig, AdditionalFiles). A project that passes no .sql
/// migrations of its own gets the <c>**/migrations/**/*.sql</c> under its folder, as the package would pass them, and
/// failing those, the repository's schema (<see cref="SchemaFiles"/>). A project that does not restore or compile is
/// analyzed as far as Roslyn binds it, and listed with its first errors; one that does not load is listed.
/// </summary>
internal static partial class CodeAudit
{
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = TenantGuardRules.CreateAnalyzers();

    private const int ErrorsShown = 5;

    /// <summary>The projects' migrations, merged (for the drift against the live database).</summary>
    public sealed record Result(List<PolicyCatalog> Catalogs, HashSet<string> TenantTables);

    /// <summary>What to audit: the path, and the <c>--schema</c> globs (none: discover the repository's schema).</summary>
    public sealed record Request(string Target, IReadOnlyList<string> SchemaGlobs);

    /// <summary>The folder a target stands for: the folder itself, or the folder of the solution or project.</summary>
    public static string Root(string target)
    {
        var full = Path.GetFullPath(target);
        return Directory.Exists(full) ? full : Path.GetDirectoryName(full)!;
    }

    /// <summary>The path checks of the audit, before any SDK is located.</summary>
    public static void CheckTarget(string target) => ProjectFiles(target, out _);

    public static async Task<Result> RunAsync(Request request, AuditReport report, TextWriter progress, CancellationToken cancellationToken)
    {
        var target = request.Target;
        var projectFiles = ProjectFiles(target, out var solution);
        var root = Root(target);
        var restoreErrors = Restore(solution is not null ? [solution] : projectFiles, root, progress);

        var repositorySchema = request.SchemaGlobs.Count > 0 ? SchemaFiles.Pinned(request.SchemaGlobs) : SchemaFiles.Discover(root);
        progress.WriteLine(request.SchemaGlobs.Count > 0
            ? $"Schema: {repositorySchema.Count} files from --schema"
            : $"Schema: {repositorySchema.Count} .sql files with DDL under {root}");

        using var workspace = MSBuildWorkspace.Create();
        var failures = new List<string>();

        var projects = new List<Project>();
        if (solution is not null)
        {
            progress.WriteLine($"Loading {Relative(solution)} ...");
            try
            {
                projects.AddRange((await workspace.OpenSolutionAsync(solution, new LoadProgress(progress), cancellationToken)).Projects);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException)
            {
                failures.Add($"{solution}: {ex.Message}");
            }
        }
        else
        {
            for (var i = 0; i < projectFiles.Count; i++)
            {
                var file = projectFiles[i];
                progress.WriteLine($"[{i + 1}/{projectFiles.Count}] Loading {Relative(file)} ...");
                try
                {
                    projects.Add(workspace.CurrentSolution.Projects.FirstOrDefault(p => SamePath(p.FilePath, file))
                        ?? await workspace.OpenProjectAsync(file, cancellationToken: cancellationToken));
                }
                catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException)
                {
                    failures.Add($"{file}: {ex.Message}");
                }
            }
        }

        failures.AddRange(workspace.Diagnostics.Where(d => d.Kind == WorkspaceDiagnosticKind.Failure).Select(d => d.Message));
        var result = new Result(new List<PolicyCatalog>(), new HashSet<string>(StringComparer.Ordinal));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var audited = projects.Where(p => p.Language == LanguageNames.CSharp).DistinctBy(p => p.FilePath).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        // A project that did not load is listed with the messages that name it; one that loaded keeps them as errors.
        var named = failures.Distinct().Select(f => (Message: f, Project: ProjectPath().Match(f) is { Success: true } m ? Path.GetFullPath(m.Value) : null)).ToList();
        var expected = solution is null ? projectFiles : named.Where(f => f.Project is not null).Select(f => f.Project!).Distinct().ToList();
        foreach (var unloaded in expected.Where(f => !audited.Any(p => SamePath(p.FilePath, f))))
        {
            var entry = new ProjectReport { Name = Path.GetFileNameWithoutExtension(unloaded), Path = Relative(unloaded), Status = ProjectStatus.NotAnalyzed };
            entry.Errors.AddRange(named.Where(f => f.Project == unloaded).Select(f => "load: " + f.Message).DefaultIfEmpty("load: MSBuildWorkspace did not load the project").Take(ErrorsShown));
            report.Projects.Add(entry);
            progress.WriteLine($"  {entry.Path}: not loaded; {entry.Errors[0]}");
        }

        foreach (var (message, _) in named.Where(f => f.Project is null))
        {
            progress.WriteLine("  workspace: " + message);
        }

        for (var i = 0; i < audited.Count; i++)
        {
            var project = audited[i];
            var step = $"[{i + 1}/{audited.Count}] {project.Name}";
            var entry = new ProjectReport { Name = project.Name, Path = Relative(project.FilePath ?? project.Name) };
            report.Projects.Add(entry);
            var restoreFailed = project.FilePath is { } projectPath && restoreErrors.ContainsKey(Path.GetFullPath(projectPath));
            if (restoreFailed)
            {
                entry.Errors.AddRange(restoreErrors[Path.GetFullPath(project.FilePath!)].Take(ErrorsShown));
            }
            else
            {
                entry.Errors.AddRange(named.Where(f => f.Project is not null && SamePath(project.FilePath, f.Project)).Select(f => "load: " + f.Message).Take(ErrorsShown));
                if (entry.Errors.Count > 0 && !project.DocumentIds.Any())
                {
                    entry.Status = ProjectStatus.NotAnalyzed; // MSBuild could not evaluate it: an empty shell, nothing to analyze
                    progress.WriteLine($"{step}: not loaded; {entry.Errors[0]}");
                    continue;
                }
            }

            progress.WriteLine($"{step}: compiling ...");
            var compilation = await project.GetCompilationAsync(cancellationToken);
            if (compilation is null)
            {
                entry.Status = ProjectStatus.NotAnalyzed;
                entry.Errors.Add("Roslyn could not create a compilation of the project.");
                continue;
            }

            var errors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            entry.Errors.AddRange(errors.Take(ErrorsShown).Select(e => e.ToString()));
            if (errors.Count > ErrorsShown)
            {
                entry.Errors.Add($"... and {errors.Count - ErrorsShown} more compiler errors");
            }

            entry.Status = entry.Errors.Count > 0 ? ProjectStatus.AnalyzedWithErrors : ProjectStatus.Analyzed;
            if (entry.Errors.Count > 0)
            {
                progress.WriteLine($"{step}: {errors.Count} compiler errors{(restoreFailed ? ", restore failed" : "")}; analyzing what Roslyn can bind");
            }

            var additional = Schema(project, repositorySchema, entry);
            foreach (var file in entry.SchemaFiles)
            {
                report.SchemaFiles.Add(file);
            }

            var options = new AnalyzerOptions(additional, project.AnalyzerOptions.AnalyzerConfigOptionsProvider);
            var catalog = MigrationSources.Read(compilation, additional, cancellationToken);
            result.Catalogs.Add(catalog);
            report.MigrationDocuments += catalog.Documents;
            foreach (var table in catalog.RlsTables)
            {
                result.TenantTables.Add(table);
            }

            progress.WriteLine($"{step}: running the rules; catalog: {entry.Catalog} ...");
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

                var isMigration = TenantGuardRules.IsSchema(diagnostic.Descriptor);
                report.Findings.Add(new Finding(
                    diagnostic.Id,
                    Severity(diagnostic.Severity),
                    isMigration ? FindingSource.Migration : FindingSource.Code,
                    diagnostic.GetMessage(),
                    where,
                    file is null ? null : Relative(file),
                    line,
                    diagnostic.Descriptor.HelpLinkUri,
                    project.Name,
                    entry.Status != ProjectStatus.Analyzed));
            }
        }

        if (report.Projects.Count == 0 && failures.Count == 0)
        {
            throw new AuditInputException($"{target}: no C# project to audit.", ExitCodes.BadInput);
        }

        if (!report.Projects.Any(p => p.Status != ProjectStatus.NotAnalyzed))
        {
            var why = report.Projects.SelectMany(p => p.Errors.Take(1).Select(e => $"{p.Path}: {e}")).Concat(named.Where(f => f.Project is null).Select(f => f.Message)).Distinct().Take(ErrorsShown);
            throw new AuditInputException($"{target}: no project could be loaded, so nothing was analyzed:\n  " + string.Join("\n  ", why), ExitCodes.ProjectDoesNotBuild);
        }

        return result;
    }

    /// <summary>
    /// The AdditionalFiles of a project for the rules: its own, its own .sql migrations (passed, or under its folder) or
    /// else the repository's schema, and the .editorconfig files that configure those .sql files.
    /// </summary>
    private static ImmutableArray<AdditionalText> Schema(Project project, List<string> repositorySchema, ProjectReport entry)
    {
        var additional = project.AnalyzerOptions.AdditionalFiles;
        var own = additional.Where(f => f.Path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)).Select(f => f.Path).ToList();
        if (own.Count > 0)
        {
            entry.Catalog = $"its own migrations ({Files(own.Count)})";
        }
        else if (Path.GetDirectoryName(project.FilePath) is { } folder && Migrations(folder) is { Count: > 0 } migrations)
        {
            own = migrations;
            additional = additional.AddRange(migrations.Select(f => (AdditionalText)new AdditionalFileText(f)));
            entry.Catalog = $"its migrations folder ({Files(migrations.Count)})";
        }
        else if (repositorySchema.Count > 0)
        {
            own = repositorySchema;
            additional = additional.AddRange(repositorySchema.Select(f => (AdditionalText)new AdditionalFileText(f)));
            entry.Catalog = $"the repository's schema ({Files(repositorySchema.Count)})";
        }
        else
        {
            entry.Catalog = "no .sql schema (C# migrations only, if any)";
        }

        entry.SchemaFiles.AddRange(own.Select(Relative));

        // .editorconfig files above each .sql file: the schema rules read their sections for the file's severities.
        var passed = new HashSet<string>(additional.Select(f => Path.GetFullPath(f.Path)), StringComparer.Ordinal);
        var configs = own.SelectMany(f => Ancestors(Path.GetDirectoryName(Path.GetFullPath(f))!))
            .Distinct()
            .Select(d => Path.Combine(d, ".editorconfig"))
            .Where(f => File.Exists(f) && passed.Add(f))
            .Select(f => (AdditionalText)new AdditionalFileText(f));
        return additional.AddRange(configs);
    }

    private static string Files(int count) => count == 1 ? "1 .sql file" : $"{count} .sql files";

    private static IEnumerable<string> Ancestors(string folder)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            yield return current.FullName;
        }
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

    /// <summary>
    /// <c>dotnet restore</c> of the solution or of each project (MSBuildWorkspace reads restored projects), run in the
    /// target's folder so that its global.json and nuget.config apply. A failure does not stop the audit: the errors
    /// NuGet prints for a project (<c>X.csproj : error NU1101: ...</c>) are kept for its entry in the report.
    /// </summary>
    private static Dictionary<string, List<string>> Restore(List<string> targets, string root, TextWriter progress)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            progress.WriteLine($"Restoring {Relative(target)} ...");
            var (exitCode, output) = Sdk.Run(root, "restore", target);
            if (exitCode == 0)
            {
                continue;
            }

            var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var attributed = false;
            foreach (var line in lines.Distinct())
            {
                var match = RestoreError().Match(line);
                if (match.Success)
                {
                    var list = errors.TryGetValue(Path.GetFullPath(match.Groups["project"].Value), out var known) ? known : errors[Path.GetFullPath(match.Groups["project"].Value)] = new List<string>();
                    list.Add("restore: " + match.Groups["message"].Value);
                    attributed = true;
                }
            }

            progress.WriteLine(attributed
                ? $"  restore failed for {string.Join(", ", errors.Keys.Select(Relative))}; the audit goes on with what restored"
                : $"  restore failed; the audit goes on:\n  " + string.Join("\n  ", lines.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(ErrorsShown)));
        }

        return errors;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:/|[A-Za-z]:\\)[^'""\s]*?\.(?:cs|vb|fs)proj\b")]
    private static partial System.Text.RegularExpressions.Regex ProjectPath();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<project>.+?\.(?:cs|vb|fs)proj)\s*:\s*error\s+(?<message>\w+:.*?)(?:\s+\[[^\]]*\])?$")]
    private static partial System.Text.RegularExpressions.Regex RestoreError();

    private static List<string> Migrations(string folder) =>
        Directory.EnumerateFiles(folder, "*.sql", SearchOption.AllDirectories)
            .Where(f => f.Split(Path.DirectorySeparatorChar).Contains("migrations") && !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The projects of a solution as MSBuildWorkspace loads them, one line each (and one per target framework): loading a
    /// large solution is the longest step of an audit. Written as it comes, from whichever thread reports it.
    /// </summary>
    private sealed class LoadProgress(TextWriter progress) : IProgress<ProjectLoadProgress>
    {
        private int _loaded;

        public void Report(ProjectLoadProgress value)
        {
            if (value.Operation == ProjectLoadOperation.Resolve)
            {
                var framework = string.IsNullOrEmpty(value.TargetFramework) ? "" : $" ({value.TargetFramework})";
                progress.WriteLine($"  [{Interlocked.Increment(ref _loaded)}] loaded {Relative(value.FilePath)}{framework}");
            }
        }
    }
}
