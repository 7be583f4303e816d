using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1005: an HTTP (or configured network) call while a transaction begun in the method may be open.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NetworkCallInTransactionAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1005_NetworkCallInTransaction);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var summaries = analysis.Summaries;
            if (!analysis.Model.MayUseTransactions || !MayReachNetwork(analysis, summaries))
            {
                return;
            }

            foreach (var body in analysis.Flow.Bodies)
            {
                foreach (var events in body.Events)
                {
                    foreach (var flowEvent in events)
                    {
                        if (flowEvent.Kind is not (FlowEventKind.NetworkCall or FlowEventKind.Call or FlowEventKind.Escape)
                            || analysis.Flow.StateBefore(flowEvent.Syntax) is not { } state
                            || OpenTransaction(state) is not { } connection)
                        {
                            continue;
                        }

                        var invocation = flowEvent.Invocation;
                        var method = invocation.TargetMethod;
                        string what;
                        string consequence;
                        if (flowEvent.Kind == FlowEventKind.NetworkCall && MethodModel.IsPipelineNext(invocation))
                        {
                            what = $"'{invocation.Syntax}' runs the rest of the request pipeline";
                            consequence = "every network call downstream (HTTP, caches, queues) runs inside the transaction, which holds its locks and a pooled connection for the whole request; commit before calling the next step, or open the transaction where the work is";
                        }
                        else if (flowEvent.Kind == FlowEventKind.NetworkCall)
                        {
                            what = $"'{method.ContainingType.Name}.{method.Name}' goes over the network";
                            consequence = Idle;
                        }
                        else if (summaries.NetworkPath(method, analysis.Options.NetworkTypes) is { IsDefault: false } path)
                        {
                            what = $"'{method.ContainingType.Name}.{method.Name}' goes over the network ({Path(path)})";
                            consequence = Idle;
                        }
                        else
                        {
                            continue;
                        }

                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.TG1005_NetworkCallInTransaction, invocation.Syntax.GetLocation(), what, connection, consequence));
                    }
                }
            }
        }

        /// <summary>
        /// Whether any call of the method goes over the network, directly or through the project's own methods: checked
        /// before the flow is built, which most blocks with a transaction never need for this rule.
        /// </summary>
        private static bool MayReachNetwork(MethodAnalysis analysis, MethodSummaries summaries)
        {
            if (analysis.Model.Has(FlowEventKind.NetworkCall))
            {
                return true;
            }

            foreach (var call in analysis.Model.OwnCalls)
            {
                if (!summaries.NetworkPath(call.TargetMethod, analysis.Options.NetworkTypes).IsDefault)
                {
                    return true;
                }
            }

            foreach (var flowEvent in analysis.Model.Events)
            {
                if (flowEvent.Kind == FlowEventKind.Escape
                    && !summaries.NetworkPath(flowEvent.Invocation.TargetMethod, analysis.Options.NetworkTypes).IsDefault)
                {
                    return true;
                }
            }

            return false;
        }

        private const string Idle = "the transaction holds its locks and a pooled connection, idle in transaction, for as long as the call takes";

        /// <summary>The connection with a transaction that may be open (the first one), or null.</summary>
        private static string? OpenTransaction(Flow.FlowState state)
        {
            foreach (var connection in state.Connections)
            {
                if (connection.Value.TransactionMayBeOpen)
                {
                    return connection.Key.Name;
                }
            }

            return null;
        }

        /// <summary>"it calls HttpClient.PostAsync"; "it calls Client.SendAsync, which calls HttpClient.PostAsync".</summary>
        private static string Path(System.Collections.Immutable.ImmutableArray<string> path) => "it calls " + string.Join(", which calls ", path);
    }
}
