using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1005: an HTTP (or configured network) call while a transaction begun in the method may be open.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NetworkCallInTransactionAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1005_NetworkCallInTransaction);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            if (!analysis.Model.Has(FlowEventKind.NetworkCall) || !analysis.Model.MayUseTransactions)
            {
                return;
            }

            foreach (var body in analysis.Flow.Bodies)
            {
                foreach (var events in body.Events)
                {
                    foreach (var flowEvent in events)
                    {
                        if (flowEvent.Kind != FlowEventKind.NetworkCall || analysis.Flow.StateBefore(flowEvent.Syntax) is not { } state)
                        {
                            continue;
                        }

                        foreach (var connection in state.Connections)
                        {
                            if (connection.Value.TransactionMayBeOpen)
                            {
                                var method = flowEvent.Invocation.TargetMethod;
                                var pipeline = MethodModel.IsPipelineNext(flowEvent.Invocation);
                                context.ReportDiagnostic(Diagnostic.Create(
                                    Descriptors.TG1005_NetworkCallInTransaction,
                                    flowEvent.Invocation.Syntax.GetLocation(),
                                    pipeline
                                        ? $"'{flowEvent.Invocation.Syntax}' runs the rest of the request pipeline"
                                        : $"'{method.ContainingType.Name}.{method.Name}' goes over the network",
                                    connection.Key.Name,
                                    pipeline
                                        ? "every network call downstream (HTTP, caches, queues) runs inside the transaction, which holds its locks and a pooled connection for the whole request; commit before calling the next step, or open the transaction where the work is"
                                        : "the transaction holds its locks and a pooled connection, idle in transaction, for as long as the call takes"));
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
}
