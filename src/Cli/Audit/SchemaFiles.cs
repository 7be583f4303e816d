using System.Text;
using System.Text.RegularExpressions;

namespace TenantGuard.Cli.Audit;

/// <summary>
/// The repository's schema: the <c>.sql</c> files under the audited folder (or the solution's) that hold DDL, with
/// build output, dependencies and test folders left aside; or exactly the files of the <c>--schema</c> globs.
/// </summary>
internal static partial class SchemaFiles
{
    [GeneratedRegex(@"\b(?:CREATE|ALTER)\s+(?:TABLE|POLICY)\b|\bROW\s+LEVEL\s+SECURITY\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Ddl();

    /// <summary>Folders no schema is looked for in: build output, dependencies, version control, tests.</summary>
    public static bool IsSkippedFolder(string name) =>
        name.StartsWith('.')
        || name.Equals("bin", StringComparison.OrdinalIgnoreCase)
        || name.Equals("obj", StringComparison.OrdinalIgnoreCase)
        || name.Equals("node_modules", StringComparison.OrdinalIgnoreCase)
        || name.Equals("test", StringComparison.OrdinalIgnoreCase)
        || name.Equals("tests", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".Test", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Tests", StringComparison.OrdinalIgnoreCase);

    /// <summary>The .sql files under <paramref name="root"/> that create or alter tables or policies, in path order.</summary>
    public static List<string> Discover(string root)
    {
        var found = new List<string>();
        var folders = new Stack<string>();
        folders.Push(root);
        while (folders.Count > 0)
        {
            var folder = folders.Pop();
            IEnumerable<string> files, subfolders;
            try
            {
                files = Directory.EnumerateFiles(folder, "*.sql").ToList();
                subfolders = Directory.EnumerateDirectories(folder).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // a folder that cannot be read holds no schema the audit can use
            }

            found.AddRange(files.Where(HoldsDdl));
            foreach (var subfolder in subfolders.Where(s => !IsSkippedFolder(Path.GetFileName(s))))
            {
                folders.Push(subfolder);
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>The files of <c>--schema</c> globs (relative to the current folder, or absolute); a glob that matches nothing is bad input.</summary>
    public static List<string> Pinned(IEnumerable<string> globs)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var glob in globs)
        {
            var full = Path.GetFullPath(glob);
            var wildcard = full.IndexOfAny(['*', '?']);
            if (wildcard < 0)
            {
                if (!File.Exists(full))
                {
                    throw new AuditInputException($"--schema {glob}: no such file.", ExitCodes.BadInput);
                }

                found.Add(full);
                continue;
            }

            var baseDirectory = Path.GetDirectoryName(full[..wildcard] + "x")!;
            var pattern = Pattern(Path.GetRelativePath(baseDirectory, full).Replace('\\', '/'));
            var matches = Directory.Exists(baseDirectory)
                ? Directory.EnumerateFiles(baseDirectory, "*", SearchOption.AllDirectories)
                    .Where(f => pattern.IsMatch(Path.GetRelativePath(baseDirectory, f).Replace('\\', '/')))
                    .ToList()
                : [];
            if (matches.Count == 0)
            {
                throw new AuditInputException($"--schema {glob}: matches no file.", ExitCodes.BadInput);
            }

            found.UnionWith(matches);
        }

        return found.ToList();
    }

    private static bool HoldsDdl(string file)
    {
        try
        {
            return Ddl().IsMatch(File.ReadAllText(file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A glob as a regular expression: <c>**</c> crosses folders, <c>*</c> and <c>?</c> do not.</summary>
    private static Regex Pattern(string glob)
    {
        var text = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                text.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                text.Append(glob[i] switch { '*' => "[^/]*", '?' => "[^/]", var c => Regex.Escape(c.ToString()) });
            }
        }

        return new Regex(text.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
