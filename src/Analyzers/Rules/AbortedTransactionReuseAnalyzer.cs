using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>
    /// TG1004: a database error caught inside an explicit transaction begun before the try, after which the same
    /// transaction is used again with no rollback in between (see <see cref="Flow.AbortedTransactions"/>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AbortedTransactionReuseAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1004_AbortedTransactionReused);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            foreach (var found in analysis.AbortedReuses)
            {
                var properties = found.SavepointTransaction is { } transaction
                    ? ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Transaction, transaction)
                    : ImmutableDictionary<string, string?>.Empty;
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TG1004_AbortedTransactionReused, MethodModel.CatchLocation(found.Clause), properties, found.ConnectionName, found.Reuse));
            }
        }
    }
}
