using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Benchmarks;

internal static class Analyzers
{
    /// <summary>Every TenantGuard analyzer, as the package loads them.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> TenantGuard() => global::TenantGuard.Analyzers.Registry.TenantGuardRules.CreateAnalyzers();

    /// <summary>The floor: an analyzer that visits every operation of every block once and does nothing else.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Floor() => ImmutableArray.Create<DiagnosticAnalyzer>(new FloorAnalyzer());

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class FloorAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("FLOOR", "Floor", "Floor", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        public static long Visited;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockAction(block =>
            {
                foreach (var operationBlock in block.OperationBlocks)
                {
                    foreach (var _ in operationBlock.DescendantsAndSelf())
                    {
                        Interlocked.Increment(ref Visited);
                    }
                }
            });
        }
    }
}
