using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// The connection one of the project's methods creates and returns, alone or in a tuple with the transaction begun on
    /// it (<c>Task&lt;(NpgsqlConnection, NpgsqlTransaction)&gt; BeginTenantAsync(Guid tenant)</c>), and the state it is in
    /// when it is returned: no setting, or the tenant settings applied (transaction-local in the open transaction, or for
    /// the session). A caller's local that receives it starts in that state.
    /// </summary>
    internal sealed class ReturnedConnection
    {
        private ReturnedConnection(int connectionElement, int transactionElement, ConnectionState state)
        {
            ConnectionElement = connectionElement;
            TransactionElement = transactionElement;
            State = state;
        }

        /// <summary>The tuple element that holds the connection; -1 when the method returns the connection itself.</summary>
        public int ConnectionElement { get; }

        /// <summary>The tuple element that holds its transaction; -1 when there is none.</summary>
        public int TransactionElement { get; }

        /// <summary>The connection's state when the method returns it.</summary>
        public ConnectionState State { get; }

        /// <summary>What the method returns, or null when it is not a connection it created, in one state on every path.</summary>
        public static ReturnedConnection? Compute(IMethodSymbol method, MethodModel model, TenantGuardOptions options)
        {
            var symbols = model.Symbols;
            var type = MethodSummaries.UnwrapTask(method.ReturnType);
            int connectionElement = -1, transactionElement = -1;
            if (!symbols.IsConnection(type))
            {
                if (type is not INamedTypeSymbol { IsTupleType: true } tuple)
                {
                    return null;
                }

                for (var i = 0; i < tuple.TupleElements.Length; i++)
                {
                    var elementType = tuple.TupleElements[i].Type;
                    if (symbols.IsConnection(elementType))
                    {
                        if (connectionElement >= 0)
                        {
                            return null;
                        }

                        connectionElement = i;
                    }
                    else if (symbols.IsTransaction(elementType))
                    {
                        if (transactionElement >= 0)
                        {
                            return null;
                        }

                        transactionElement = i;
                    }
                }

                if (connectionElement < 0)
                {
                    return null;
                }
            }

            if (model.Root is not IMethodBodyOperation body)
            {
                return null;
            }

            ILocalSymbol? connection = null, transaction = null;
            foreach (var operation in OperationHelpers.DescendantsInBody(body))
            {
                if (operation is not IReturnOperation { ReturnedValue: { } returned })
                {
                    continue;
                }

                var value = OperationHelpers.Unwrap(returned);
                var connectionValue = connectionElement < 0 ? value : value is ITupleOperation t && t.Elements.Length > connectionElement ? t.Elements[connectionElement] : null;
                var transactionValue = transactionElement >= 0 && value is ITupleOperation u && u.Elements.Length > transactionElement ? u.Elements[transactionElement] : null;
                if (!SameLocal(ref connection, connectionValue) || (transactionElement >= 0 && !SameLocal(ref transaction, transactionValue)))
                {
                    return null;
                }
            }

            if (connection is null)
            {
                return null;
            }

            var key = ResourceKey.For(connection, ResourceKind.Connection);
            if (model.OriginOf(key, body.Syntax) != ConnectionOrigin.Fresh
                || (transaction is not null && !key.Equals(model.ConnectionOfTransaction(ResourceKey.For(transaction, ResourceKind.Connection)))))
            {
                return null;
            }

            var flow = TenantContextFlow.Run(ControlFlowGraph.Create(body), model, options);
            var main = flow.Bodies[0];
            if (main.Inputs[main.Inputs.Length - 1] is not { } exit)
            {
                return null;
            }

            var state = exit[key];
            var expected = transaction is null ? state.Transaction is TransactionState.None or TransactionState.Open : state.Transaction == TransactionState.Open;
            return expected && state.Context is ContextState.None or ContextState.TransactionLocal or ContextState.Session
                ? new ReturnedConnection(connectionElement, transactionElement, state)
                : null;
        }

        private static bool SameLocal(ref ILocalSymbol? local, IOperation? value)
        {
            if (OperationHelpers.Unwrap(value) is not ILocalReferenceOperation reference)
            {
                return false;
            }

            local ??= reference.Local;
            return SymbolEqualityComparer.Default.Equals(local, reference.Local);
        }
    }
}
