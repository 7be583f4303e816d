using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Rules;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>Runs every TenantGuard rule over the AntiPatterns sources, with the sample's migrations as AdditionalFiles.</summary>
public static class AnalyzerRun
{
    private static readonly Lazy<Task<ImmutableArray<Diagnostic>>> Diagnostics = new(RunAsync);

    public static string SamplesDirectory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "samples", "AntiPatterns"));

    /// <summary>The TenantGuard diagnostics reported inside a method of an example file.</summary>
    public static async Task<List<string>> In(string exampleFile, string method)
    {
        var all = await Diagnostics.Value;
        var result = new List<string>();
        foreach (var diagnostic in all)
        {
            var tree = diagnostic.Location.SourceTree;
            if (tree is null || Path.GetFileName(tree.FilePath) != exampleFile)
            {
                continue;
            }

            var node = (await tree.GetRootAsync()).FindNode(diagnostic.Location.SourceSpan);
            var declaration = node.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().FirstOrDefault();
            if (declaration?.Identifier.ValueText == method)
            {
                result.Add(diagnostic.Id);
            }
        }

        return result;
    }

    private static async Task<ImmutableArray<Diagnostic>> RunAsync()
    {
        var directory = SamplesDirectory();
        var trees = Directory.GetFiles(Path.Combine(directory, "Examples"), "*.cs")
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(LanguageVersion.CSharp12), path))
            .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq; global using System.Net.Http; global using System.Threading.Tasks; global using System.IO;", new CSharpParseOptions(LanguageVersion.CSharp12), "usings.cs"))
            .ToList();
        var references = Net100.References.All.Cast<MetadataReference>()
            .Concat(new[] { typeof(Npgsql.NpgsqlConnection), typeof(Dapper.SqlMapper) }.Select(t => MetadataReference.CreateFromFile(t.Assembly.Location)))
            .ToList();
        var compilation = CSharpCompilation.Create("AntiPatterns", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("AntiPatterns does not compile: " + string.Join("\n", errors));
        }

        var migrations = Directory.GetFiles(Path.Combine(directory, "migrations"), "*.sql").Select(p => (AdditionalText)new AdditionalFileText(p)).ToImmutableArray();
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
            new MissingTenantContextAnalyzer(), new PlaceholderCastAnalyzer(), new SwallowedDatabaseErrorAnalyzer(),
            new AbortedTransactionReuseAnalyzer(), new NetworkCallInTransactionAnalyzer(), new SetWithBindParameterAnalyzer(),
            new LocalSettingWithoutTransactionAnalyzer(), new SessionTenantSettingAnalyzer(), new SplicedTenantSettingAnalyzer(),
            new SecondTransactionAnalyzer());
        return await compilation.WithAnalyzers(analyzers, new AnalyzerOptions(migrations)).GetAnalyzerDiagnosticsAsync();
    }
}
