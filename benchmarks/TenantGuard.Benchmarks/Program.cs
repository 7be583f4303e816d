using System.Collections.Immutable;
using System.Diagnostics;
using BenchmarkDotNet.Running;
using TenantGuard.Benchmarks;

// dotnet run -c Release -- generate <dir>   writes the corpus (checked in under benchmarks/corpus)
// dotnet run -c Release -- quick            one timing of each case, no BenchmarkDotNet (a smoke run)
// dotnet run -c Release -- profile [n]      TenantGuard alone, n times, for a profiler
// dotnet run -c Release -- csc <rsp> <dir> [n] [alone]  a real project in process (its csc response file)
// dotnet run -c Release -- ide <rsp> <dir> [documents] [rounds]  the IDE case: one open document analyzed after an edit
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

if (args.Length > 2 && args[0] == "csc")
{
    // A real project, in process: TenantGuard's and the floor's own time on the compilation its compiler command line
    // describes (csc <response file> <project directory> [runs]); see docs/performance.md for how to get the file.
    var project = CommandLineCompilation.Load(args[1], args[2]);
    var runs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5;
    var errors = project.Compilation.GetDiagnostics().Count(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    Console.WriteLine($"{project.Compilation.AssemblyName}: {project.Compilation.SyntaxTrees.Count()} files, {errors} compile errors");
    foreach (var error in project.Compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Take(3))
    {
        Console.WriteLine(error);
    }

    var alone = args.Length > 4 && args[4] == "alone"; // TenantGuard only and on one thread: steadier timings, and for a profiler
    var tenantGuard = Analyzers.TenantGuard();
    for (var i = 0; i < runs; i++)
    {
        // Allocations (and CPU) include the compiler's binding that the analyzers' walks trigger: compare against the floor's.
        var (own, findings, ownBytes, ownCpu, ownGcs, ownPause, ownJit) = project.OwnTime(tenantGuard, concurrent: !alone);
        var (floor, _, floorBytes, floorCpu, floorGcs, floorPause, floorJit) = project.OwnTime(Analyzers.Floor(), concurrent: !alone);
        Console.WriteLine($"run {i + 1}: TenantGuard {own,6:F0} ms ({ownBytes / 1048576.0,4:F0} MB, {ownGcs} GCs {ownPause,4:F0} ms, JIT {ownJit,4:F0} ms, CPU {ownCpu,6:F0} ms), "
            + $"floor {floor,4:F0} ms ({floorBytes / 1048576.0,4:F0} MB, {floorGcs} GCs {floorPause,4:F0} ms, JIT {floorJit,4:F0} ms, CPU {floorCpu,6:F0} ms)   {findings}");
    }

    return 0;
}

if (args.Length > 2 && args[0] == "ide")
{
    // The IDE case: the largest documents of a real project, each analyzed alone after an edit (see OpenDocument).
    var project = CommandLineCompilation.Load(args[1], args[2]);
    OpenDocument.Run(
        project,
        Analyzers.TenantGuard(),
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5,
        args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 5);
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
