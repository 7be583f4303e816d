using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// The flow as the summaries run it over a callee's body (<see cref="ICalleeFlow"/>, declared with the summaries,
    /// below the flow): the composition root hands one to <see cref="MethodSummaries"/>.
    /// </summary>
    internal sealed class CalleeFlow : ICalleeFlow
    {
        public ImmutableArray<ConnectionEffect> EffectsOf(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options) =>
            ConnectionEffectReader.Compute(method, model, summaries, options);

        public ReturnedConnection? ReturnedConnectionOf(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options) =>
            ReturnedConnectionReader.Compute(method, model, summaries, options);

        public ImmutableDictionary<(int Parameter, int Argument), ConnectionState> CallbackEntriesOf(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options) =>
            CallbackEntry.Compute(method, model, summaries, options);

        public IFlowStates RunMiddleware(ControlFlowGraph graph, MethodModel model, MethodSummaries summaries, TenantGuardOptions options) =>
            TenantContextFlow.Run(graph, model, summaries, options, pipelineProbe: true);

        public IFlowStates RunRecordingCalls(ControlFlowGraph graph, MethodModel model, MethodSummaries summaries, TenantGuardOptions options) =>
            TenantContextFlow.Run(graph, model, summaries, options, recordCalls: true);
    }
}
