using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Documentation
{
    /// <summary>
    /// The documents point only inside the repository, and their links resolve. What follows from the rule registry (the
    /// rule tables, the ready-made .editorconfig, the presets, the option documentation) is checked by DocGenTests.
    /// </summary>
    public class DocumentationTests
    {
        private static readonly string Root = RobustnessTests.RepositoryRoot();

        [Fact]
        public void No_document_points_outside_the_repository()
        {
            var outside = new Regex(@"GROUND_TRUTH|\.\./shared|field reports?\b|\bseeds/|\bplaybook\b|\bissue \d+\b", RegexOptions.IgnoreCase);
            var files = Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories)
                .Concat(Directory.EnumerateFiles(Path.Combine(Root, "samples"), "*.cs", SearchOption.AllDirectories))
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")
                    && !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}artifacts{Path.DirectorySeparatorChar}"));
            foreach (var file in files)
            {
                var match = outside.Match(File.ReadAllText(file));
                Assert.False(match.Success, $"{Path.GetRelativePath(Root, file)} refers to '{match.Value}', which is not in the repository");
            }
        }

        [Fact]
        public void Relative_links_in_the_documents_resolve()
        {
            var link = new Regex(@"\]\((?!https?:|mailto:|#)([^)#\s]+)");
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(Root, "README.md")))
            {
                foreach (Match match in link.Matches(File.ReadAllText(file)))
                {
                    var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, match.Groups[1].Value));
                    Assert.True(File.Exists(target) || Directory.Exists(target), $"{Path.GetRelativePath(Root, file)} links to {match.Groups[1].Value}, which does not exist");
                }
            }
        }
    }
}
