using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Architecture
{
    /// <summary>
    /// The analyzer's folders are layers (docs/architecture.md): a folder may use the folders below it, never one above
    /// it, so the folder graph has no cycle. Read from the sources: each file's <c>using TenantGuard.Analyzers.X</c>
    /// directives and its fully qualified <c>TenantGuard.Analyzers.X.</c> references, with each folder's namespace
    /// being its name.
    /// </summary>
    public class LayeringTests
    {
        /// <summary>
        /// Bottom to top. Infrastructure (the session, the base analyzers, the per-method analysis: the composition root)
        /// sits under the rules, which derive from its analyzers; the registry lists the rules.
        /// </summary>
        internal static readonly string[] Layers =
        {
            "Sql", "Catalog", "Options", "Model", "Sites", "Summaries", "Flow", "Infrastructure", "Rules", "Registry",
        };

        private static readonly Regex Using = new(@"^\s*using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?TenantGuard\.Analyzers\.(\w+)\b", RegexOptions.Multiline);

        private static readonly Regex Qualified = new(@"(?<![\w.])(?:global::)?(?:TenantGuard\.)?Analyzers\.(\w+)\.", RegexOptions.Multiline);

        private static readonly Regex Namespace = new(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline);

        private static readonly Regex Comment = new(@"//.*$", RegexOptions.Multiline);

        private static string Analyzers => Path.Combine(RobustnessTests.RepositoryRoot(), "src", "Analyzers");

        [Fact]
        public void No_folder_uses_a_folder_above_it()
        {
            var problems = new List<string>();
            foreach (var (file, folder) in SourceFiles())
            {
                var rank = Array.IndexOf(Layers, folder);
                var text = File.ReadAllText(file);
                var code = Comment.Replace(text, string.Empty);
                var used = Using.Matches(text).Select(m => m.Groups[1].Value)
                    .Concat(Qualified.Matches(code).Select(m => m.Groups[1].Value))
                    .Where(name => Array.IndexOf(Layers, name) > rank)
                    .Distinct();
                foreach (var above in used)
                {
                    problems.Add($"{Relative(file)} uses {above}, a layer above {folder}");
                }
            }

            Assert.True(problems.Count == 0, "Layers used from below (order: " + string.Join(" < ", Layers) + "):\n" + string.Join("\n", problems));
        }

        [Fact]
        public void Every_folder_is_a_layer_and_declares_its_namespace()
        {
            var folders = Directory.EnumerateDirectories(Analyzers).Select(Path.GetFileName).Where(name => name is not ("bin" or "obj")).ToList();
            Assert.Empty(folders.Except(Layers));

            var problems = new List<string>();
            foreach (var (file, folder) in SourceFiles())
            {
                var expected = "TenantGuard.Analyzers." + folder;
                foreach (Match declared in Namespace.Matches(File.ReadAllText(file)))
                {
                    var name = declared.Groups[1].Value;
                    if (name != expected && !name.StartsWith(expected + ".", StringComparison.Ordinal))
                    {
                        problems.Add($"{Relative(file)} declares namespace {name}, not {expected}");
                    }
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void The_check_sees_a_use_from_below()
        {
            // The patterns the check relies on, on the forms the sources use.
            Assert.Equal("Flow", Using.Match("using TenantGuard.Analyzers.Flow;").Groups[1].Value);
            Assert.Equal("Model", Using.Match("using static TenantGuard.Analyzers.Model.OperationHelpers;").Groups[1].Value);
            Assert.Equal("Flow", Qualified.Match("var x = TenantGuard.Analyzers.Flow.HelperSites.Of(m);").Groups[1].Value);
            Assert.Equal("Flow", Qualified.Match("() => Analyzers.Flow.HelperSites.Of(m)").Groups[1].Value);
            Assert.False(Qualified.IsMatch("site.Sql.Text"));
        }

        private static IEnumerable<(string File, string Folder)> SourceFiles()
        {
            var separator = Path.DirectorySeparatorChar;
            foreach (var file in Directory.EnumerateFiles(Analyzers, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Analyzers, file);
                if (relative.IndexOf(separator) < 0 || relative.StartsWith("bin" + separator, StringComparison.Ordinal) || relative.StartsWith("obj" + separator, StringComparison.Ordinal))
                {
                    continue; // the root's files (descriptors, categories) belong to no layer; build output is no source
                }

                yield return (file, relative.Substring(0, relative.IndexOf(separator)));
            }
        }

        private static string Relative(string file) => Path.GetRelativePath(Analyzers, file).Replace(Path.DirectorySeparatorChar, '/');
    }
}
