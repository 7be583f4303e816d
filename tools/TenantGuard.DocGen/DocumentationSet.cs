using TenantGuard.Analyzers.Registry;

namespace TenantGuard.DocGen;

/// <summary>
/// Everything in the repository that follows from the rule registry (<see cref="TenantGuardRules"/>): the files and
/// regions the generator writes, and the documentation it checks. <see cref="Write"/> brings the files up to date;
/// <see cref="Check"/> only reports (the tests and CI run it).
/// </summary>
public static class DocumentationSet
{
    /// <summary>The command that writes the generated files.</summary>
    public const string Command = "dotnet run --project tools/TenantGuard.DocGen";

    public const string Readme = "README.md";
    public const string PackageReadme = "src/Package/README.md";

    /// <summary>
    /// Every generated file as it should read, from the files as they are (a region's surroundings are kept), and what
    /// keeps one from being generated (markers missing).
    /// </summary>
    public static (List<GeneratedFile> Files, List<string> Problems) Generate(string root)
    {
        var files = new List<GeneratedFile>();
        var problems = new List<string>();
        void Region(string path, Markers markers, string region)
        {
            var current = Read(root, path) ?? string.Empty;
            if (markers.Replace(current, region) is { } expected)
            {
                files.Add(new GeneratedFile(path, expected));
            }
            else
            {
                problems.Add($"{path}: the generated region must stand between a line \"{markers.Begin}\" and a line \"{markers.End}\"");
            }
        }

        Region(Readme, Markers.MarkdownRules, RuleTables.Repository());
        Region(PackageReadme, Markers.MarkdownRules, RuleTables.Package());
        Region(OptionDocumentation.EditorConfig, Markers.EditorConfigRules, EditorConfigRules.Lines());
        files.AddRange(Presets.Files());
        files.Add(new GeneratedFile(ReleaseTracking.Unshipped, ReleaseTracking.UnshippedText(Read(root, ReleaseTracking.Shipped) ?? string.Empty, Read(root, ReleaseTracking.Unshipped) ?? string.Empty)));
        return (files, problems);
    }

    /// <summary>Every way the repository differs from what the registry says, each naming its file; empty when none.</summary>
    public static List<string> Check(string root)
    {
        var (files, problems) = Generate(root);
        foreach (var file in files.Where(f => Read(root, f.Path) != f.Content))
        {
            problems.Add($"{file.Path} is not what the rule registry gives: run `{Command}`");
        }

        problems.AddRange(StalePresets(root, files).Select(path => $"{path} is no preset of the registry's categories: run `{Command}`, which removes it"));
        problems.AddRange(Consistency(root));
        return problems;
    }

    /// <summary>
    /// Writes the generated files that differ and removes presets of no category; returns what it changed and what is
    /// left to do by hand (the documentation the registry cannot write).
    /// </summary>
    public static (List<string> Written, List<string> Problems) Write(string root)
    {
        var (files, problems) = Generate(root);
        var written = new List<string>();
        foreach (var file in files.Where(f => Read(root, f.Path) != f.Content))
        {
            var full = Full(root, file.Path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, file.Content);
            written.Add(file.Path);
        }

        foreach (var stale in StalePresets(root, files))
        {
            File.Delete(Full(root, stale));
            written.Add(stale + " (removed)");
        }

        problems.AddRange(Consistency(root));
        return (written, problems);
    }

    /// <summary>What the generator checks but does not write: release tracking, rule pages, option documentation.</summary>
    private static IEnumerable<string> Consistency(string root) =>
        ReleaseTracking.Problems(Read(root, ReleaseTracking.Shipped) ?? string.Empty, Read(root, ReleaseTracking.Unshipped) ?? string.Empty)
            .Concat(RulePages.Problems(path => Read(root, path)))
            .Concat(OptionDocumentation.Problems(path => Read(root, path)));

    private static IEnumerable<string> StalePresets(string root, List<GeneratedFile> files)
    {
        var folder = Full(root, Presets.Folder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var generated = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return Directory.GetFiles(folder, "*.globalconfig")
            .Select(f => Presets.Folder + "/" + System.IO.Path.GetFileName(f))
            .Where(path => !generated.Contains(path))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A file's text with '\n' line ends, or null when it does not exist.</summary>
    private static string? Read(string root, string path)
    {
        var full = Full(root, path);
        return File.Exists(full) ? File.ReadAllText(full).Replace("\r\n", "\n") : null;
    }

    private static string Full(string root, string path) => System.IO.Path.Combine(root, path.Replace('/', System.IO.Path.DirectorySeparatorChar));

    /// <summary>The repository's root: the folder with TenantGuard.sln at or above <paramref name="start"/>.</summary>
    public static string? FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "TenantGuard.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
