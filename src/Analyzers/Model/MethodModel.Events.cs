using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// The flow events that are no execution: transaction and connection control on every family's types, hand-overs
    /// to the project's methods, network calls and disposal; and the branches on an EF Core context's current transaction.
    /// </summary>
    internal sealed partial class MethodModel
    {
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private FlowEvent? TryCreateEvent(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var name = method.Name;
            var receiver = Receiver(invocation);
            var receiverType = receiver?.Type;

            if (IsNetworkCall(invocation, receiverType))
            {
                return new FlowEvent(FlowEventKind.NetworkCall, invocation, null, null);
            }

            // Handing a connection to one of the project's methods: the flow asks the method's summary what it does to it.
            if (!IsLibraryMethod(method) && TryCreateEscape(invocation) is { } escape)
            {
                return escape;
            }

            if (receiver is null || IsOtherProvider(receiver, invocation.Syntax.SpanStart))
            {
                return null;
            }

            if (_symbols.IsConnection(receiverType) || _symbols.IsDatabaseFacade(receiverType))
            {
                var connection = KeyOf(receiver);
                switch (name)
                {
                    case "BeginTransaction":
                    case "BeginTransactionAsync":
                        return new FlowEvent(FlowEventKind.BeginTransaction, invocation, connection, null);
                    case "UseTransaction" or "UseTransactionAsync" when _symbols.IsDatabaseFacade(receiverType)
                        && invocation.Arguments.Length > 0 && !IsNullConstant(invocation.Arguments[0].Value):
                        // The context joins a transaction begun on its connection elsewhere (UseTransaction(null) leaves
                        // it, without ending it: not modelled).
                        return new FlowEvent(FlowEventKind.BeginTransaction, invocation, connection, null);
                    case "OpenConnection":
                    case "OpenConnectionAsync":
                        return _symbols.IsDatabaseFacade(receiverType) ? new FlowEvent(FlowEventKind.Open, invocation, connection, null) : null;
                    case "CloseConnection":
                    case "CloseConnectionAsync":
                        return _symbols.IsDatabaseFacade(receiverType) ? new FlowEvent(FlowEventKind.Close, invocation, connection, null) : null;
                    case "CommitTransaction":
                    case "CommitTransactionAsync":
                        return new FlowEvent(FlowEventKind.Commit, invocation, connection, null);
                    case "RollbackTransaction":
                    case "RollbackTransactionAsync":
                        return new FlowEvent(FlowEventKind.Rollback, invocation, connection, null);
                    case "Close":
                    case "CloseAsync":
                    case "Dispose":
                    case "DisposeAsync":
                        return _symbols.IsConnection(receiverType) ? new FlowEvent(FlowEventKind.Close, invocation, connection, null) : null;
                }

                return null;
            }

            if (_symbols.IsTransaction(receiverType))
            {
                var transaction = KeyOf(receiver);
                var connection = ConnectionOfTransaction(transaction);
                var hasName = false;
                foreach (var argument in invocation.Arguments)
                {
                    hasName |= argument.Parameter?.Type.SpecialType == SpecialType.System_String;
                }

                var kind = name switch
                {
                    "Commit" or "CommitAsync" => FlowEventKind.Commit,
                    "Rollback" or "RollbackAsync" => hasName ? FlowEventKind.RollbackToSavepoint : FlowEventKind.Rollback,
                    "Dispose" or "DisposeAsync" => FlowEventKind.Rollback,
                    "Save" or "SaveAsync" => FlowEventKind.Save,
                    "Release" or "ReleaseAsync" => FlowEventKind.Release,
                    _ => (FlowEventKind?)null,
                };
                return kind is { } k ? new FlowEvent(k, invocation, connection, transaction) : null;
            }

            return null;
        }

        /// <summary>
        /// The disposal of a transaction that a <c>using</c> declaration or statement adds at the end of its scope (an
        /// implicit Dispose in the control-flow graph): it rolls back whatever was not committed.
        /// </summary>
        public FlowEvent? ImplicitDisposal(IInvocationOperation invocation)
        {
            if (!invocation.IsImplicit || invocation.TargetMethod.Name is not ("Dispose" or "DisposeAsync"))
            {
                return null;
            }

            var instance = invocation.Instance;
            while (instance is IConversionOperation conversion)
            {
                instance = conversion.Operand;
            }

            if (instance is null || !_symbols.IsTransaction(instance.Type))
            {
                return null;
            }

            var transaction = KeyOf(instance);
            var connection = ConnectionOfTransaction(transaction);
            return connection is null ? null : new FlowEvent(FlowEventKind.Rollback, invocation, connection, transaction);
        }

        /// <summary>The assignment of a connection to a local variable (its declaration included): the variable now holds another connection.</summary>
        public FlowEvent? Reassignment(ISimpleAssignmentOperation assignment) =>
            assignment.Target is ILocalReferenceOperation local && _symbols.IsConnection(local.Type) && KeyOf(local) is { } key
                ? FlowEvent.Reassignment(assignment, key)
                : null;

        /// <summary>Methods of the framework and of the data-access libraries, whose effect TenantGuard knows or ignores.</summary>
        public static bool IsLibraryMethod(IMethodSymbol method)
        {
            var assembly = method.ContainingAssembly?.Name ?? string.Empty;
            return assembly.StartsWith("System", StringComparison.Ordinal)
                || assembly.StartsWith("Microsoft.", StringComparison.Ordinal)
                || assembly.StartsWith("Npgsql", StringComparison.Ordinal)
                || assembly is "Dapper" or "mscorlib" or "netstandard";
        }

        private FlowEvent? TryCreateEscape(IInvocationOperation invocation)
        {
            // Asked of every call that is no site: the builders are made only for a call that hands a connection over.
            ImmutableArray<ResourceKey>.Builder? escaped = null;
            ImmutableArray<int>.Builder? ordinals = null;
            foreach (var argument in invocation.Arguments)
            {
                AddEscaped(argument.Value, argument.Parameter?.Ordinal ?? -1);
            }

            AddEscaped(invocation.Instance, -1);
            return escaped is null ? null : FlowEvent.Escape(invocation, escaped.ToImmutable(), ordinals!.ToImmutable());

            void AddEscaped(IOperation? value, int ordinal)
            {
                var type = Unwrap(value)?.Type;
                ResourceKey? key = null;
                if (_symbols.IsConnection(type) || _symbols.IsDbContext(type))
                {
                    key = KeyOf(value);
                }
                else if (_symbols.IsTransaction(type))
                {
                    // The transaction's connection. A helper given the transaction alone has its effect read on it
                    // (Flow/ConnectionEffectReader); one given the connection too has it read on the connection's parameter.
                    key = ConnectionOfTransaction(KeyOf(value));
                    if (_symbols.TakesConnection(invocation.TargetMethod))
                    {
                        ordinal = -1;
                    }
                }

                if (key is not null && escaped?.Contains(key) != true)
                {
                    (escaped ??= ImmutableArray.CreateBuilder<ResourceKey>()).Add(key);
                    (ordinals ??= ImmutableArray.CreateBuilder<int>()).Add(ordinal);
                }
            }
        }

        /// <summary>
        /// A call of the next step of an ASP.NET Core pipeline (<c>await _next(context)</c>, <c>await next()</c> in
        /// <c>app.Use</c>, an endpoint filter's <c>next</c>): the rest of the request runs there, with all its network calls.
        /// </summary>
        public static bool IsPipelineNext(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind != MethodKind.DelegateInvoke || method.ContainingType is not { } delegateType)
            {
                return false;
            }

            if (delegateType.Name is "RequestDelegate" or "EndpointFilterDelegate" && delegateType.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Http")
            {
                return true;
            }

            // app.Use(async (context, next) => { ... await next(); }): a Func<Task> (or Func<HttpContext, Task>) named next.
            var name = Unwrap(invocation.Instance) switch
            {
                IParameterReferenceOperation parameter => parameter.Parameter.Name,
                IFieldReferenceOperation field => field.Field.Name,
                _ => null,
            };
            return name is "next" or "_next" && delegateType.Name == "Func" && method.ReturnType.Name == "Task";
        }

        private bool IsNetworkCall(IInvocationOperation invocation, ITypeSymbol? receiverType) =>
            IsPipelineNext(invocation) || GoesOverNetwork(invocation, receiverType, _symbols, _networkTypes);

        /// <summary>A call of HttpClient (HttpMessageInvoker) or of one of the configured network types.</summary>
        public static bool GoesOverNetwork(IInvocationOperation invocation, ITypeSymbol? receiverType, DataAccessSymbols symbols, ImmutableHashSet<string> networkTypes)
        {
            if (symbols.IsHttpInvoker(receiverType))
            {
                return invocation.TargetMethod.Name is not ("Dispose" or "CancelPendingRequests" or "GetType" or "ToString" or "Equals" or "GetHashCode");
            }

            return IsConfiguredNetworkCall(invocation, networkTypes);
        }

        /// <summary>Whether the invocation calls a method of one of the configured network types.</summary>
        private static bool IsConfiguredNetworkCall(IInvocationOperation invocation, ImmutableHashSet<string> networkTypes)
        {
            if (networkTypes.Count == 0)
            {
                return false;
            }

            for (var type = Receiver(invocation)?.Type ?? invocation.TargetMethod.ContainingType; type is not null; type = type.BaseType)
            {
                if (networkTypes.Contains(type.OriginalDefinition.ToDisplayString()))
                {
                    return true;
                }

                foreach (var implemented in type.Interfaces)
                {
                    if (networkTypes.Contains(implemented.OriginalDefinition.ToDisplayString()))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// A branch on whether an EF Core context is in a transaction: <c>db.Database.CurrentTransaction == null</c>,
        /// <c>is null</c>, <c>!= null</c>, <c>is not null</c>, <c>is { } tx</c>, and their negations. Returns the context and
        /// whether the condition is true when there is no transaction.
        /// </summary>
        public (ResourceKey Context, bool NoTransactionWhenTrue)? TransactionCheck(IOperation condition)
        {
            condition = Unwrap(condition) ?? condition;
            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand } when TransactionCheck(operand) is { } inner:
                    return (inner.Context, !inner.NoTransactionWhenTrue);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                    var property = IsNullConstant(binary.RightOperand) ? binary.LeftOperand : IsNullConstant(binary.LeftOperand) ? binary.RightOperand : null;
                    return CurrentTransactionOf(property) is { } compared ? (compared, binary.OperatorKind == BinaryOperatorKind.Equals) : null;
                case IIsPatternOperation { Value: var value, Pattern: var pattern } when CurrentTransactionOf(value) is { } tested:
                    return pattern switch
                    {
                        IConstantPatternOperation constant when IsNullConstant(constant.Value) => (tested, true),
                        INegatedPatternOperation { Pattern: IConstantPatternOperation negated } when IsNullConstant(negated.Value) => (tested, false),
                        IDeclarationPatternOperation or IRecursivePatternOperation or ITypePatternOperation => (tested, false),
                        _ => null,
                    };
                default:
                    return null;
            }
        }

        private ResourceKey? CurrentTransactionOf(IOperation? operation) =>
            Unwrap(operation) is IPropertyReferenceOperation { Property.Name: "CurrentTransaction", Instance: { } facade } && _symbols.IsDatabaseFacade(facade.Type)
                ? KeyOf(facade)
                : null;
    }
}
