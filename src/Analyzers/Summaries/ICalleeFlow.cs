using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// The flow over a method's body, as the summaries need it: the flow consults the summaries at every call it meets,
    /// and some summaries are read from the callee's own flow. Declared here, below the flow, implemented by the flow
    /// (<c>Flow/CalleeFlow</c>) and handed to <see cref="MethodSummaries"/> by the composition root
    /// (<c>Infrastructure/AnalysisEnvironment</c>), so that neither folder imports the other's layer above it.
    /// </summary>
    internal interface ICalleeFlow
    {
        /// <summary>What the method does to each of its connection parameters (by ordinal), from its flow.</summary>
        ImmutableArray<ConnectionEffect> EffectsOf(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options);

        /// <summary>The connection the method creates and returns, and its state then; null when it returns none in one known state.</summary>
        ReturnedConnection? ReturnedConnectionOf(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options);

        /// <summary>
        /// Per delegate parameter and argument, the state of the connection a with-tenant wrapper hands to its callback
        /// when it invokes it (absent when not known).
        /// </summary>
        ImmutableDictionary<(int Parameter, int Argument), ConnectionState> CallbackEntriesOf(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options);

        /// <summary>
        /// The flow of a middleware (or of a method that registers inline middlewares), read to learn whether it keeps a
        /// transaction open around the rest of the pipeline: its injected contexts start with no transaction.
        /// </summary>
        IFlowStates RunMiddleware(ControlFlowGraph graph, MethodModel model, MethodSummaries summaries, TenantGuardOptions options);

        /// <summary>
        /// The flow of a method that records the state before every call of one of the project's methods, even where the
        /// method uses no transaction (the state an entry point, or a helper reached only from entry points, calls its
        /// helpers in).
        /// </summary>
        IFlowStates RunRecordingCalls(ControlFlowGraph graph, MethodModel model, MethodSummaries summaries, TenantGuardOptions options);
    }
}
