using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TenantGuard.Benchmarks;

/// <summary>The checked-in corpus as a compilation, with and without the data-access libraries.</summary>
internal sealed class Corpus
{
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Dapper;
        global using Microsoft.EntityFrameworkCore;
        global using Microsoft.Extensions.Logging;
        global using Npgsql;
        """;

    private Corpus(CSharpCompilation withDataAccess, CSharpCompilation withoutDataAccess, ImmutableArray<AdditionalText> migrations, int lines)
    {
        WithDataAccess = withDataAccess;
        WithoutDataAccess = withoutDataAccess;
        Migrations = migrations;
        Lines = lines;
    }

    /// <summary>The tenant application: services on Npgsql, Dapper and EF Core.</summary>
    public CSharpCompilation WithDataAccess { get; }

    /// <summary>The same size of code, referencing none of Npgsql, Dapper and EF Core: TenantGuard should register nothing.</summary>
    public CSharpCompilation WithoutDataAccess { get; }

    public ImmutableArray<AdditionalText> Migrations { get; }

    public int Lines { get; }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "corpus");

    public static Corpus Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
        var files = Directory.GetFiles(directory, "*.cs").OrderBy(f => f, StringComparer.Ordinal).ToList();
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(GlobalUsings, parse, "GlobalUsings.cs"));
        var lines = trees.Sum(t => t.GetText().Lines.Count);

        var libraries = new[] { typeof(Npgsql.NpgsqlConnection), typeof(Dapper.SqlMapper), typeof(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions), typeof(Microsoft.EntityFrameworkCore.DbContext), typeof(Microsoft.Extensions.Logging.ILogger) }
            .Select(t => t.Assembly.Location)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "Microsoft.Extensions.*.dll"))
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        var withDataAccess = CSharpCompilation.Create("Corpus", trees, Net100.References.All.Concat(libraries), options);

        // The plain part of every file, without the data-access libraries: what a project without data access looks like.
        var plain = files.Where(f => !f.EndsWith("AppDb.cs", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(PlainPart(File.ReadAllText(f)), parse, f)).ToList();
        plain.Add(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq; global using Microsoft.Extensions.Logging;", parse, "GlobalUsings.cs"));
        var logging = MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location);
        var withoutDataAccess = CSharpCompilation.Create("Plain", plain, Net100.References.All.Append(logging), options);

        var migrations = Directory.GetFiles(directory, "*.sql").Select(f => (AdditionalText)new AdditionalFileText(f)).ToImmutableArray();
        return new Corpus(withDataAccess, withoutDataAccess, migrations, lines);
    }

    /// <summary>A service file cut before its first data-access method, its class closed; other files as they are.</summary>
    private static string PlainPart(string text)
    {
        var cut = text.IndexOf("    public async Task", StringComparison.Ordinal);
        return cut < 0
            ? text
            : text.Substring(0, cut).Replace("(NpgsqlDataSource dataSource, AppDb db, ", "(", StringComparison.Ordinal) + "}\n";
    }

    /// <summary>Runs analyzers over a fresh copy of a compilation (fresh semantic models: nothing cached from a previous run).</summary>
    public static ImmutableArray<Diagnostic> Analyze(CSharpCompilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<AdditionalText> additionalFiles) =>
        compilation.Clone()
            .WithAnalyzers(analyzers, new AnalyzerOptions(additionalFiles))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The analyzers' own execution time (the driver's telemetry, as -p:ReportAnalyzer=true reports it), in milliseconds.</summary>
    public static double OwnTime(CSharpCompilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<AdditionalText> additionalFiles)
    {
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(additionalFiles), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true);
        var result = compilation.Clone().WithAnalyzers(analyzers, options).GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
        return result.AnalyzerTelemetryInfo.Values.Sum(t => t.ExecutionTime.TotalMilliseconds);
    }
}
