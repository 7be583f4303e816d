using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TenantGuard.Benchmarks;

/// <summary>
/// TenantGuard against the floor on the checked-in corpus. Each run analyzes a fresh copy of the compilation, so binding
/// and building the operation trees are in every case: TenantGuard's own cost is its time minus the floor's.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private Corpus _corpus = null!;
    private ImmutableArray<DiagnosticAnalyzer> _tenantGuard;
    private ImmutableArray<DiagnosticAnalyzer> _floor;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = Corpus.Load();
        _tenantGuard = Analyzers.TenantGuard();
        _floor = Analyzers.Floor();
    }

    [Benchmark(Baseline = true, Description = "floor: visit every operation once")]
    public ImmutableArray<Diagnostic> Floor() => Corpus.Analyze(_corpus.WithDataAccess, _floor, _corpus.Migrations);

    [Benchmark(Description = "TenantGuard: every rule")]
    public ImmutableArray<Diagnostic> TenantGuard() => Corpus.Analyze(_corpus.WithDataAccess, _tenantGuard, _corpus.Migrations);

    [Benchmark(Description = "floor, no data access")]
    public ImmutableArray<Diagnostic> FloorWithoutDataAccess() => Corpus.Analyze(_corpus.WithoutDataAccess, _floor, _corpus.Migrations);

    [Benchmark(Description = "TenantGuard, no data access")]
    public ImmutableArray<Diagnostic> TenantGuardWithoutDataAccess() => Corpus.Analyze(_corpus.WithoutDataAccess, _tenantGuard, _corpus.Migrations);
}
