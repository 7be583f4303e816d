using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Registry;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// Code a test compiles, runs against the live server and analyzes with every TenantGuard analyzer: the real Npgsql,
/// EF Core and Microsoft.Extensions assemblies of the test's output, and ASP.NET Core's HttpContext and RequestDelegate
/// from the shared framework the tests run on.
/// </summary>
internal static class ProbeCompilation
{
    private const string Usings = "global using System; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>Every TenantGuard analyzer.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = TenantGuardRules.CreateAnalyzers();

    /// <summary>The source compiled (it must compile without errors) and loaded.</summary>
    public static (Assembly Assembly, CSharpCompilation Compilation) Emit(string name, string source)
    {
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => Path.GetFileName(f) is var n && (n.StartsWith("Npgsql", StringComparison.Ordinal) || n.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)))
            .ToList();

        // What the output directory already has is taken from there.
        var aspNet = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.RequestDelegate).Assembly.Location)!;
        var copied = new HashSet<string>(local.Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
        var shared = Directory.GetFiles(aspNet, "*.dll")
            .Where(f => Path.GetFileName(f) is var n && !copied.Contains(n) && (n.StartsWith("Microsoft.AspNetCore.Http", StringComparison.Ordinal) || n.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)));
        var references = Net100.References.All.Cast<MetadataReference>()
            .Concat(local.Concat(shared).Select(f => MetadataReference.CreateFromFile(f)))
            .ToList();
        var compilation = CSharpCompilation.Create(
            name + Guid.NewGuid().ToString("N"),
            new[]
            {
                CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12), name + ".cs"),
                CSharpSyntaxTree.ParseText(Usings, new CSharpParseOptions(LanguageVersion.CSharp12), "usings.cs"),
            },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return (AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image.ToArray())), compilation);
    }

    /// <summary>Every TenantGuard analyzer over the compilation.</summary>
    public static ImmutableArray<Diagnostic> Analyze(CSharpCompilation compilation, AnalyzerOptions options) =>
        compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
}
