using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// Where a method's connection came from, when it came from one of the project's methods: a connection factory, or a
    /// method that returns a connection in a known state (<see cref="ReturnedConnection"/>), alone, in a tuple or in a
    /// class of the project that holds it. The flow starts such a connection in that state; TG1001 names the method.
    /// </summary>
    internal sealed partial class MethodSummaries
    {
        private readonly ConditionalWeakTable<TenantGuardOptions, ConcurrentDictionary<IMethodSymbol, ReturnedConnection?>> _returned = new();

        /// <summary>
        /// The connection a method creates and returns (alone, or in a tuple with its transaction) and the state it is
        /// in then (<see cref="ReturnedConnection"/>), under the options of the caller's file; null when not known.
        /// </summary>
        public ReturnedConnection? ReturnedConnectionOf(IMethodSymbol method, TenantGuardOptions options) =>
            Summarize(
                _returned.GetValue(options, _ => new ConcurrentDictionary<IMethodSymbol, ReturnedConnection?>(SymbolEqualityComparer.Default)),
                method,
                m => Model(m) is { } model ? _flow.ReturnedConnectionOf(m, model, this, options) : null,
                unknown: null);

        /// <summary>
        /// The state a local's connection starts in when it comes from one of the project's methods that returns it
        /// (alone, or in a tuple deconstructed here) in a known state (<see cref="ReturnedConnection"/>): fresh,
        /// or with the tenant settings applied. Null for anything else.
        /// </summary>
        public ConnectionState? ReturnedStateOf(MethodModel model, ResourceKey key, SyntaxNode body, TenantGuardOptions options) =>
            ReturnedBy(model, key, body, options) is { } returned ? returned.Returned.State : null;

        /// <summary>The project's method a local's connection came from, when it returns it with no setting (for messages).</summary>
        public IMethodSymbol? ReturningFactoryOf(MethodModel model, ResourceKey key, TenantGuardOptions options) =>
            ReturnedBy(model, key, model.Root.Syntax, options) is { } returned && returned.Returned.State.Context == ContextState.None ? returned.Call.TargetMethod : null;

        /// <summary>The project's method a local's connection came from, when it is a summarized factory (for messages).</summary>
        public IMethodSymbol? FactoryOf(MethodModel model, ResourceKey key)
        {
            if (key.Symbol is not ILocalSymbol local || model.AssignmentsOf(local) is not { } assignments)
            {
                return null;
            }

            foreach (var (_, value) in assignments)
            {
                if (OperationHelpers.Unwrap(value, throughAwait: true) is IInvocationOperation invocation && ReturnsFreshConnection(invocation.TargetMethod))
                {
                    return invocation.TargetMethod;
                }
            }

            return null;
        }

        private static bool Within(ILocalSymbol local, SyntaxNode body) =>
            local.DeclaringSyntaxReferences.Length > 0 && OperationHelpers.IsWithin(local.DeclaringSyntaxReferences[0].GetSyntax(), body);

        private (IInvocationOperation Call, ReturnedConnection Returned)? ReturnedBy(MethodModel model, ResourceKey key, SyntaxNode body, TenantGuardOptions options)
        {
            if (key.Owner is { } owner)
            {
                // session.Connection, session.Item1: the local holds what one of the project's methods returned.
                return Within(owner, body)
                    && OperationHelpers.Unwrap(model.SingleAssignment(owner), throughAwait: true) is IInvocationOperation holderCall
                    && ReturnedConnectionOf(holderCall.TargetMethod, options) is { } held && held.HoldsConnectionIn(key.Symbol)
                    ? (holderCall, held)
                    : null;
            }

            if (key.Symbol is not ILocalSymbol local || !Within(local, body))
            {
                return null;
            }

            if (model.DeconstructedFrom(local) is { } part)
            {
                return model.AssignmentsOf(local) is null
                    && ReturnedConnectionOf(part.Call.TargetMethod, options) is { } tupled && tupled.ConnectionElement == part.Element
                    ? (part.Call, tupled)
                    : null;
            }

            return OperationHelpers.Unwrap(model.SingleAssignment(local), throughAwait: true) is IInvocationOperation call
                && ReturnedConnectionOf(call.TargetMethod, options) is { ConnectionElement: -1, ConnectionMember: null } alone
                ? (call, alone)
                : null;
        }
    }
}
