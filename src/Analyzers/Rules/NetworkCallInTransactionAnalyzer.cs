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
                                context.ReportDiagnostic(Diagnostic.Create(
                                    Descriptors.TG1005_NetworkCallInTransaction,
                                    flowEvent.Invocation.Syntax.GetLocation(),
                                    method.ContainingType.Name + "." + method.Name,
                                    connection.Key.Name));
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
}
