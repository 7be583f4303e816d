using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// What one of the project's with-tenant wrappers has established on the connections it hands to a delegate
    /// parameter when it invokes it (<c>await work(connection, transaction)</c> after beginning the transaction and
    /// applying <c>app.tenant_id</c> transaction-locally): per delegate parameter of the wrapper, per argument of the
    /// invocation, the connection's state there, merged over every invocation. A lambda passed as that parameter starts
    /// from it.
    /// </summary>
    internal static class CallbackEntry
    {
        /// <summary>Delegate parameter ordinal, then argument index: the state of the connection passed there (absent when not known).</summary>
        public static ImmutableDictionary<(int Parameter, int Argument), ConnectionState> Compute(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options)
        {
            var empty = ImmutableDictionary<(int, int), ConnectionState>.Empty;
            if (model.Root is not IMethodBodyOperation body || !HasDelegateParameter(method))
            {
                return empty;
            }

            var symbols = model.Symbols;
            List<IInvocationOperation>? invocations = null;
            foreach (var operation in OperationHelpers.DescendantsInBody(body))
            {
                if (CallbackInvocation(operation, symbols) is { } invocation)
                {
                    (invocations ??= new List<IInvocationOperation>()).Add(invocation);
                }
            }

            if (invocations is null)
            {
                return empty;
            }

            var flow = TenantContextFlow.Run(ControlFlowGraph.Create(body), model, summaries, options, recordCallbacks: true);
            var result = new Dictionary<(int, int), ConnectionState>();
            var unknown = new HashSet<(int, int)>();
            foreach (var invocation in invocations)
            {
                var parameter = ((IParameterReferenceOperation)OperationHelpers.Unwrap(invocation.Instance)!).Parameter.Ordinal;
                var before = flow.StateBefore(invocation.Syntax);
                for (var i = 0; i < invocation.Arguments.Length; i++)
                {
                    var slot = (parameter, i);
                    var value = invocation.Arguments[i].Value;
                    if (!IsConnectionLike(OperationHelpers.Unwrap(value)?.Type, symbols))
                    {
                        continue;
                    }

                    if (before is null || model.KeyOf(value) is not { } key)
                    {
                        unknown.Add(slot);
                        continue;
                    }

                    var state = before[key];
                    result[slot] = result.TryGetValue(slot, out var earlier) ? ConnectionState.Merge(earlier, state) : state;
                }
            }

            foreach (var slot in unknown)
            {
                result.Remove(slot);
            }

            return result.ToImmutableDictionary();
        }

        /// <summary>
        /// An invocation of one of the method's own delegate parameters that hands it a connection or EF Core context
        /// (<c>work(connection, transaction)</c>, <c>work.Invoke(db)</c>); null for any other operation.
        /// </summary>
        public static IInvocationOperation? CallbackInvocation(IOperation operation, DataAccessSymbols symbols)
        {
            if (operation is not IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke } invocation
                || OperationHelpers.Unwrap(invocation.Instance) is not IParameterReferenceOperation)
            {
                return null;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (IsConnectionLike(OperationHelpers.Unwrap(argument.Value)?.Type, symbols))
                {
                    return invocation;
                }
            }

            return null;
        }

        /// <summary>A connection or EF Core context type (what a callback can be handed to work on).</summary>
        public static bool IsConnectionLike(ITypeSymbol? type, DataAccessSymbols symbols) => symbols.IsConnection(type) || symbols.IsDbContext(type);

        private static bool HasDelegateParameter(IMethodSymbol method)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type.TypeKind == TypeKind.Delegate)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
