using System.Collections.Immutable;
using System.Diagnostics;
using BenchmarkDotNet.Running;
using TenantGuard.Benchmarks;

// dotnet run -c Release -- generate <dir>   writes the corpus (checked in under benchmarks/corpus)
// dotnet run -c Release -- quick            one timing of each case, no BenchmarkDotNet (a smoke run)
// dotnet run -c Release -- profile [n]      TenantGuard alone, n times, for a profiler
// dotnet run -c Release -- [BenchmarkDotNet arguments, e.g. --filter *]
if (args.Length > 0 && args[0] == "generate")
{
    CorpusGenerator.Write(args.Length > 1 ? args[1] : Path.Combine("benchmarks", "corpus"));
    return 0;
}

if (args.Length > 0 && args[0] == "profile")
{
    // For a profiler: TenantGuard alone over the corpus, again and again (dotnet-trace collect -- <exe> profile).
    var corpus = Corpus.Load();
    var tenantGuard = Analyzers.TenantGuard();
    for (var i = 0; i < (args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10); i++)
    {
        Console.WriteLine($"{Corpus.OwnTime(corpus.WithDataAccess, tenantGuard, corpus.Migrations):F0} ms");
    }

    return 0;
}

if (args.Length > 0 && args[0] == "quick")
{
    var corpus = Corpus.Load();
    var errors = corpus.WithDataAccess.GetDiagnostics().Count(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
        + corpus.WithoutDataAccess.GetDiagnostics().Count(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    Console.WriteLine($"corpus: {corpus.Lines} lines, {errors} compile errors");
    var tenantGuard = Analyzers.TenantGuard();
    foreach (var (name, run) in new (string, Func<ImmutableArray<Microsoft.CodeAnalysis.Diagnostic>>)[]
    {
        ("floor (visit every operation once)", () => Corpus.Analyze(corpus.WithDataAccess, Analyzers.Floor(), corpus.Migrations)),
        ("TenantGuard", () => Corpus.Analyze(corpus.WithDataAccess, tenantGuard, corpus.Migrations)),
        ("floor, no data access", () => Corpus.Analyze(corpus.WithoutDataAccess, Analyzers.Floor(), corpus.Migrations)),
        ("TenantGuard, no data access", () => Corpus.Analyze(corpus.WithoutDataAccess, tenantGuard, corpus.Migrations)),
    })
    {
        run();
        var watch = Stopwatch.StartNew();
        var diagnostics = run();
        Console.WriteLine($"{name,-36} {watch.ElapsedMilliseconds,6} ms  {string.Join(", ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"))}");
    }

    // The analyzers' own time as the driver measures it (what -p:ReportAnalyzer=true shows in a build).
    Corpus.OwnTime(corpus.WithDataAccess, tenantGuard, corpus.Migrations);
    Console.WriteLine($"own time: TenantGuard {Corpus.OwnTime(corpus.WithDataAccess, tenantGuard, corpus.Migrations):F0} ms, floor {Corpus.OwnTime(corpus.WithDataAccess, Analyzers.Floor(), corpus.Migrations):F0} ms, "
        + $"TenantGuard without data access {Corpus.OwnTime(corpus.WithoutDataAccess, tenantGuard, corpus.Migrations):F1} ms");
    return errors == 0 ? 0 : 1;
}

BenchmarkSwitcher.FromAssembly(typeof(AnalyzerBenchmarks).Assembly).Run(args);
return 0;
