using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Infrastructure
{
    /// <summary>
    /// The field corpus: small files written to reproduce what public multi-tenant applications do with EF Core
    /// (interceptors, contexts in controllers and services, raw SQL). Every diagnostic a line should get is written at
    /// its end as <c>// expect: TG1011, TG1009</c>; TenantGuard must report exactly those, file by file.
    /// </summary>
    public class FieldCorpusTests
    {
        private static readonly Regex Expect = new(@"//\s*expect:\s*(?<ids>TG\d{4}(\s*,\s*TG\d{4})*)", RegexOptions.Compiled);

        public static IEnumerable<object[]> Files() =>
            Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "FieldCorpus"), "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

        [Theory]
        [MemberData(nameof(Files))]
        public async Task Reports_exactly_what_the_file_expects(string file)
        {
            var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "FieldCorpus", file));
            var lines = text.Replace("\r\n", "\n").Split('\n');
            var expected = new List<string>();
            for (var i = 0; i < lines.Length; i++)
            {
                var match = Expect.Match(lines[i]);
                if (match.Success)
                {
                    expected.AddRange(match.Groups["ids"].Value.Split(',').Select(id => $"{id.Trim()}@{i + 1}"));
                }
            }

            var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
            var compilation = CSharpCompilation.Create(
                "FieldCorpus",
                new[] { CSharpSyntaxTree.ParseText(text, parse, "/" + file), CSharpSyntaxTree.ParseText(TestReferences.GlobalUsings, parse, "/usings.cs") },
                TestReferences.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));

            var diagnostics = await compilation.WithAnalyzers(RobustnessTests.AllAnalyzers, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty)).GetAnalyzerDiagnosticsAsync();
            var actual = diagnostics
                .Where(d => d.Id != Descriptors.TG0002_IncompleteCatalog.Id && d.Location.SourceTree?.FilePath == "/" + file)
                .Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1}")
                .OrderBy(x => x, StringComparer.Ordinal)
                .ToList();
            Assert.True(
                expected.OrderBy(x => x, StringComparer.Ordinal).SequenceEqual(actual),
                $"expected {string.Join(", ", expected.OrderBy(x => x, StringComparer.Ordinal))}\nactual   {string.Join(", ", actual)}\n" + string.Join("\n", diagnostics.Select(d => d.ToString())));
        }
    }
}
