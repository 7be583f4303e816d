using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// Reads the connection one of the project's methods creates and returns (<see cref="ReturnedConnection"/>): the shape
    /// of what it returns from its signature and its return statements, the connection's state then from its flow.
    /// </summary>
    internal static class ReturnedConnectionReader
    {
        /// <summary>What the method returns, or null when it is not a connection it created, in one state on every path.</summary>
        public static ReturnedConnection? Compute(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options)
        {
            var symbols = model.Symbols;
            var type = OperationHelpers.UnwrapTask(method.ReturnType);
            int connectionElement = -1, transactionElement = -1;
            ISymbol? connectionMember = null, transactionMember = null;
            if (!symbols.IsConnection(type))
            {
                if (type is not INamedTypeSymbol { IsTupleType: true } tuple)
                {
                    return HolderMembers(type, symbols, out connectionMember, out transactionMember)
                        ? Compute(model, summaries, options, -1, -1, connectionMember, transactionMember)
                        : null;
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

            return Compute(model, summaries, options, connectionElement, transactionElement, null, null);
        }

        private static ReturnedConnection? Compute(
            MethodModel model, MethodSummaries summaries, TenantGuardOptions options, int connectionElement, int transactionElement, ISymbol? connectionMember, ISymbol? transactionMember)
        {
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
                IOperation? connectionValue, transactionValue;
                if (connectionMember is not null)
                {
                    connectionValue = MemberValue(value, connectionMember);
                    transactionValue = transactionMember is null ? null : MemberValue(value, transactionMember);
                }
                else
                {
                    connectionValue = connectionElement < 0 ? value : value is ITupleOperation t && t.Elements.Length > connectionElement ? t.Elements[connectionElement] : null;
                    transactionValue = transactionElement >= 0 && value is ITupleOperation u && u.Elements.Length > transactionElement ? u.Elements[transactionElement] : null;
                }

                var withTransaction = transactionElement >= 0 || transactionMember is not null;
                if (!SameLocal(ref connection, connectionValue) || (withTransaction && !SameLocal(ref transaction, transactionValue)))
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

            var flow = TenantContextFlow.Run(ControlFlowGraph.Create(body), model, summaries, options);
            var main = flow.Bodies[0];
            if (main.Inputs[main.Inputs.Length - 1] is not { } exit)
            {
                return null;
            }

            var state = exit[key];
            var expected = transaction is null ? state.Transaction is TransactionState.None or TransactionState.Open : state.Transaction == TransactionState.Open;
            return expected && state.Context is ContextState.None or ContextState.TransactionLocal or ContextState.Session
                ? new ReturnedConnection(connectionElement, transactionElement, connectionMember, state)
                : null;
        }

        /// <summary>
        /// The one instance member of a project type that holds a connection, and the one (if any) that holds a transaction;
        /// false for any other type (none, or several).
        /// </summary>
        private static bool HolderMembers(ITypeSymbol type, DataAccessSymbols symbols, out ISymbol? connection, out ISymbol? transaction)
        {
            connection = transaction = null;
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named || named.DeclaringSyntaxReferences.Length == 0
                || (symbols.RolesOf(named) & TypeRole.DataAccess) != 0)
            {
                return false;
            }

            foreach (var member in named.OriginalDefinition.GetMembers())
            {
                var memberType = member switch
                {
                    IPropertySymbol { IsStatic: false, IsIndexer: false } property => property.Type,
                    IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false } field => field.Type,
                    _ => null,
                };
                if (symbols.IsConnection(memberType))
                {
                    if (connection is not null)
                    {
                        return false;
                    }

                    connection = member;
                }
                else if (symbols.IsTransaction(memberType))
                {
                    if (transaction is not null)
                    {
                        return false;
                    }

                    transaction = member;
                }
            }

            return connection is not null;
        }

        /// <summary>
        /// What <c>new Holder(conn, tx)</c> (a constructor parameter named as the member, as a positional record's) or
        /// <c>new Holder { Connection = conn }</c> puts into a member; null when not one of these.
        /// </summary>
        private static IOperation? MemberValue(IOperation? value, ISymbol member)
        {
            if (value is not IObjectCreationOperation creation)
            {
                return null;
            }

            if (creation.Initializer is { } initializer)
            {
                foreach (var init in initializer.Initializers)
                {
                    if (init is ISimpleAssignmentOperation { Target: IMemberReferenceOperation target } assignment
                        && SymbolEqualityComparer.Default.Equals(target.Member.OriginalDefinition, member))
                    {
                        return assignment.Value;
                    }
                }
            }

            foreach (var argument in creation.Arguments)
            {
                if (argument.Parameter is { } parameter && string.Equals(parameter.Name, member.Name, System.StringComparison.OrdinalIgnoreCase))
                {
                    return argument.Value;
                }
            }

            return null;
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
