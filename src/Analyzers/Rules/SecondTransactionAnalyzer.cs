using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1010: BeginTransaction on a connection whose transaction, begun in the method, may still be open.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SecondTransactionAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1010_SecondTransaction);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            if (!analysis.Model.MayBeginTwice)
            {
                return;
            }

            foreach (var body in analysis.Flow.Bodies)
            {
                // The begins of this body in source order, to point at the first one.
                var begins = new List<FlowEvent>();
                foreach (var events in body.Events)
                {
                    foreach (var flowEvent in events)
                    {
                        if (flowEvent.Kind == FlowEventKind.BeginTransaction && flowEvent.Connection is not null)
                        {
                            begins.Add(flowEvent);
                        }
                    }
                }

                foreach (var begin in begins)
                {
                    if (analysis.Flow.StateBefore(begin.Syntax) is not { } state || !state[begin.Connection!].TransactionMayBeOpen)
                    {
                        continue;
                    }

                    var transaction = state[begin.Connection!].Transaction;
                    var first = FirstBegin(begins, begin);
                    var method = begin.Invocation.TargetMethod;
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TG1010_SecondTransaction,
                        begin.Invocation.Syntax.GetLocation(),
                        first is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(first.Invocation.Syntax.GetLocation()),
                        method.ContainingType.Name + "." + method.Name,
                        begin.Connection!.Name,
                        transaction == TransactionState.Open ? "on every path" : "on some paths",
                        first is null ? "?" : SiteSql.Line(first.Syntax).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }

        /// <summary>The earliest other begin on the same connection (in a loop, the begin itself).</summary>
        private static FlowEvent? FirstBegin(List<FlowEvent> begins, FlowEvent begin)
        {
            FlowEvent? first = null;
            foreach (var other in begins)
            {
                if (other.Connection!.Equals(begin.Connection) && (first is null || other.Syntax.SpanStart < first.Syntax.SpanStart))
                {
                    first = other;
                }
            }

            return first;
        }
    }
}
