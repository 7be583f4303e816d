using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Integration
{
    /// <summary>
    /// The benchmark corpus (benchmarks/corpus, generated and checked in) still compiles and still gives the findings
    /// docs/performance.md lists, so the numbers there are about the code they say they are about. No timing is asserted.
    /// </summary>
    public class BenchmarkCorpusTests
    {
        [Fact]
        public async Task Corpus_compiles_and_gives_the_documented_findings()
        {
            var directory = Path.Combine(RepositoryRoot(), "benchmarks", "corpus");
            var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
            var trees = Directory.GetFiles(directory, "*.cs").OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
                .Append(CSharpSyntaxTree.ParseText(TestReferences.GlobalUsings, parse, "GlobalUsings.cs"))
                .ToList();
            var compilation = CSharpCompilation.Create("Corpus", trees, TestReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));

            var migrations = Directory.GetFiles(directory, "*.sql").Select(f => (AdditionalText)new AdditionalFileText(f, File.ReadAllText(f))).ToImmutableArray();
            var diagnostics = await compilation.WithAnalyzers(RobustnessTests.AllAnalyzers, new AnalyzerOptions(migrations)).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            var counts = string.Join(", ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
            Assert.Equal("TG1001=15, TG1004=10, TG1008=19, TG1012=19", counts);
        }

        private static string RepositoryRoot()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "TenantGuard.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("TenantGuard.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
