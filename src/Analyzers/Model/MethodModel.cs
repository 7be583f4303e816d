using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Options;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>Where a connection comes from, which decides what is known of it when a method starts.</summary>
    internal enum ConnectionOrigin
    {
        /// <summary>Created or opened in the method: no transaction, no tenant context.</summary>
        Fresh,

        /// <summary>Received (parameter, field, lambda parameter, call result): its state is the caller's.</summary>
        External,
    }

    /// <summary>
    /// The execution sites and transaction/connection events of one operation block (a method with the lambdas and
    /// local functions inside it), read from the operation tree once and shared by every rule.
    /// </summary>
    internal sealed class MethodModel
    {
        private readonly DataAccessSymbols _symbols;
        private readonly Dictionary<ILocalSymbol, List<(int Position, IOperation Value)>> _localAssignments = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ILocalSymbol> _localsWrittenIndirectly = new(SymbolEqualityComparer.Default);
        // Filled for few blocks: made on first use.
        private Dictionary<(ILocalSymbol Local, string Member), List<(int Position, IOperation Value)>>? _memberAssignments;
        private Dictionary<ILocalSymbol, List<(int Position, IOperation Command)>>? _batchAdds;
        private Dictionary<ILocalSymbol, List<(int Position, IInvocationOperation Call, int Ordinal)>>? _commandHandOvers;
        private readonly Dictionary<ResourceKey, ResourceKey> _transactionConnections = new();
        private readonly Dictionary<SyntaxNode, FlowEvent> _events = new();
        private Dictionary<ILocalSymbol, (IInvocationOperation Call, int Element)>? _deconstructed;

        private readonly ImmutableHashSet<string> _networkTypes;

        private MethodModel(IOperation root, DataAccessSymbols symbols, ImmutableHashSet<string> networkTypes)
        {
            Root = root;
            _symbols = symbols;
            _networkTypes = networkTypes;
            // The passes below test operation.Kind before any interface pattern: a type test against Roslyn's operation
            // classes costs far more than a Kind comparison, and these loops see every operation of the method.
            var all = Operations(root);
            IndexAssignments(all);
            var sites = ImmutableArray.CreateBuilder<ExecutionSite>();
            var tries = ImmutableArray.CreateBuilder<ITryOperation>();
            var ownCalls = ImmutableArray.CreateBuilder<IInvocationOperation>();
            List<IForEachLoopOperation>? loops = null;
            List<IInvocationOperation>? otherCalls = null;
            foreach (var operation in all)
            {
                if (operation.Kind is not (OperationKind.Invocation or OperationKind.Try or OperationKind.ObjectCreation or OperationKind.Loop))
                {
                    continue;
                }

                switch (operation)
                {
                    case IInvocationOperation invocation:
                        var site = TryCreateSite(invocation);
                        if (site is not null)
                        {
                            sites.Add(site);
                            _events[invocation.Syntax] = new FlowEvent(FlowEventKind.Execute, invocation, site.Connection, site.Transaction, site);
                            if (site.Transaction is { Symbol: not null } tx && site.Connection is not null && !_transactionConnections.ContainsKey(tx))
                            {
                                _transactionConnections[tx] = site.Connection;
                            }
                        }
                        else
                        {
                            (otherCalls ??= new List<IInvocationOperation>()).Add(invocation);
                        }

                        break;
                    case ITryOperation { Catches.Length: > 0 } tryOperation:
                        tries.Add(tryOperation);
                        break;
                    case IObjectCreationOperation { Type: { Name: "TransactionScope" } scopeType }
                        when scopeType.ContainingNamespace?.ToDisplayString() == "System.Transactions":
                        UsesAmbientTransaction = true;
                        break;
                    case IForEachLoopOperation loop:
                        (loops ??= new List<IForEachLoopOperation>()).Add(loop);
                        break;
                }
            }

            ReturnOperations(all);

            // foreach over an EF Core query: the SQL runs when the loop enumerates it; the site is the query's last call.
            foreach (var loop in loops ?? new List<IForEachLoopOperation>(0))
            {
                if (Unwrap(loop.Collection) is { } query
                    && !_events.ContainsKey(query.Syntax)
                    && EfCoreQueries.TryCreateEnumerated(query, this, _symbols) is { } enumerated)
                {
                    sites.Add(enumerated);
                    _events[query.Syntax] = query is IInvocationOperation invocation
                        ? new FlowEvent(FlowEventKind.Execute, invocation, enumerated.Connection, enumerated.Transaction, enumerated)
                        : FlowEvent.Enumeration(enumerated);
                }
            }

            foreach (var invocation in otherCalls ?? new List<IInvocationOperation>(0))
            {
                if (!_events.ContainsKey(invocation.Syntax))
                {
                    var flowEvent = TryCreateEvent(invocation);
                    if (flowEvent is not null)
                    {
                        _events[invocation.Syntax] = flowEvent;
                    }
                    else if (invocation.TargetMethod is { MethodKind: MethodKind.Ordinary, DeclaringSyntaxReferences.Length: > 0 })
                    {
                        ownCalls.Add(invocation);
                    }
                }
            }

            OwnCalls = ownCalls.ToImmutable();

            Sites = sites.ToImmutable();
            Tries = tries.ToImmutable();
            foreach (var flowEvent in _events.Values)
            {
                _eventKinds |= 1 << (int)flowEvent.Kind;
            }

            MayUseTransactions = Has(FlowEventKind.BeginTransaction) || UsesAmbientTransaction;
            var begins = 0;
            foreach (var site in Sites)
            {
                var sqlBegin = site.Sql is { } sql && BeginsTransaction(sql);
                begins += sqlBegin ? 1 : 0;
                MayUseTransactions |= site.Transaction is not null || sqlBegin;
            }

            foreach (var flowEvent in _events.Values)
            {
                if (flowEvent.Kind == FlowEventKind.BeginTransaction)
                {
                    begins += IsRepeatable(flowEvent.Operation) ? 2 : 1;
                }
            }

            MayBeginTwice = begins >= 2;
        }

        /// <summary>
        /// Whether a transaction may be begun while one is open: two begins (API or SQL), or one in a loop, a lambda or a
        /// local function. Without that TG1010 has nothing to find.
        /// </summary>
        public bool MayBeginTwice { get; }

        /// <summary>The calls of the project's own ordinary methods that are no data-access event (summaries may say more).</summary>
        public ImmutableArray<IInvocationOperation> OwnCalls { get; }

        private bool IsRepeatable(IOperation operation)
        {
            for (var current = operation.Parent; current is not null && current != Root; current = current.Parent)
            {
                if (current is ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return true;
                }
            }

            return false;
        }

        private readonly int _eventKinds;

        /// <summary>Whether the method has at least one event of this kind (rules ask before they run the flow).</summary>
        public bool Has(FlowEventKind kind) => (_eventKinds & (1 << (int)kind)) != 0;

        /// <summary>
        /// Whether a transaction may be open anywhere in the method: it begins one (API or SQL), passes one to a command,
        /// or creates a TransactionScope. Without one, the transaction rules have nothing to find.
        /// </summary>
        public bool MayUseTransactions { get; }

        private static bool BeginsTransaction(SqlSource sql)
        {
            foreach (var statement in sql.Script.Statements)
            {
                if (statement.Kind == Sql.SqlStatementKind.Begin)
                {
                    return true;
                }
            }

            return false;
        }

        [ThreadStatic]
        private static Stack<IOperation>? t_walk;

        [ThreadStatic]
        private static List<IOperation>? t_operations;

        /// <summary>
        /// The operations of the block the model's passes look at (declarations, assignments, arguments, calls, tries,
        /// object creations, loops), in pre-order (the order of <c>DescendantsAndSelf</c>). Most operations of a method are
        /// references, literals and conversions, which no pass reads: they are not kept. The list is the thread's own, given
        /// back by <see cref="ReturnOperations"/> (a model built while another is being built, for a summary, gets a new one).
        /// </summary>
        private static List<IOperation> Operations(IOperation root)
        {
            var result = t_operations ?? new List<IOperation>(256);
            t_operations = null;
            var stack = t_walk ??= new Stack<IOperation>();
            stack.Clear();
            stack.Push(root);
            var children = new List<IOperation>();
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                if (operation.Kind is OperationKind.VariableDeclarator or OperationKind.SimpleAssignment or OperationKind.Argument
                    or OperationKind.CompoundAssignment or OperationKind.DeconstructionAssignment or OperationKind.Invocation
                    or OperationKind.Try or OperationKind.ObjectCreation or OperationKind.Loop)
                {
                    result.Add(operation);
                }

                children.Clear();
                foreach (var child in operation.ChildOperations)
                {
                    children.Add(child);
                }

                for (var i = children.Count - 1; i >= 0; i--)
                {
                    stack.Push(children[i]);
                }
            }

            return result;
        }

        private static void ReturnOperations(List<IOperation> operations)
        {
            operations.Clear();
            t_operations = operations;
        }

        /// <summary>
        /// Whether any operation of the block has a data-access type of a PostgreSQL-capable provider. Most methods of a
        /// project never touch a connection, command, transaction or DbContext; this walk, which allocates nothing,
        /// spares them a model.
        /// </summary>
        public static bool TouchesDataAccess(IOperation root, DataAccessSymbols symbols)
        {
            var stack = t_walk ??= new Stack<IOperation>();
            stack.Clear();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                var roles = symbols.RolesOf(operation.Type);
                if ((roles & TypeRole.DataAccess) != 0 && (roles & TypeRole.OtherProvider) == 0)
                {
                    stack.Clear();
                    return true;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            return false;
        }

        /// <summary>
        /// Whether a connection, command or transaction belongs to another database's provider: typed as one
        /// (<c>SqlConnection</c>), or a local last assigned one (<c>IDbConnection c = new SqlConnection(...)</c>).
        /// </summary>
        private bool IsOtherProvider(IOperation? value, int position)
        {
            if (!_symbols.MayHaveOtherProviders)
            {
                return false;
            }

            var operation = Unwrap(value);
            if (operation is null)
            {
                return false;
            }

            if (_symbols.IsOtherProvider(operation.Type))
            {
                return true;
            }

            return operation is ILocalReferenceOperation local
                && LastAssignment(local.Local, position).Value is { } assigned
                && _symbols.IsOtherProvider(Unwrap(assigned, throughAwait: true)?.Type);
        }

        public IOperation Root { get; }

        /// <summary>The data-access types of the compilation (and the summaries of its methods).</summary>
        public DataAccessSymbols Symbols => _symbols;

        /// <summary>Every event of the method's body, its lambdas and local functions, in no particular order.</summary>
        public IEnumerable<FlowEvent> Events => _events.Values;

        /// <summary>
        /// The method creates a System.Transactions.TransactionScope: connections opened in it enlist in the ambient
        /// transaction (Npgsql's default), so whether one is open is not known from the connection alone.
        /// </summary>
        public bool UsesAmbientTransaction { get; private set; }

        public ImmutableArray<ExecutionSite> Sites { get; }

        /// <summary>Try statements with catch clauses, in source order (lambdas included).</summary>
        public ImmutableArray<ITryOperation> Tries { get; }

        public bool HasEvents => _events.Count > 0;

        public static MethodModel Build(IOperation root, DataAccessSymbols symbols, ImmutableHashSet<string> networkTypes) => new(root, symbols, networkTypes);

        public FlowEvent? EventAt(SyntaxNode syntax) => _events.TryGetValue(syntax, out var e) ? e : null;

        /// <summary>The connection a transaction was begun on (or used with) in this method.</summary>
        public ResourceKey? ConnectionOfTransaction(ResourceKey? transaction) =>
            transaction is { Symbol: not null } && _transactionConnections.TryGetValue(transaction, out var connection) ? connection : null;

        /// <summary>The transactions known to belong to a connection.</summary>
        public IEnumerable<ResourceKey> TransactionsOf(ResourceKey connection)
        {
            foreach (var pair in _transactionConnections)
            {
                if (pair.Value.Equals(connection))
                {
                    yield return pair.Key;
                }
            }
        }

        /// <summary>The name of the transaction variable a site runs in: its own, or the one begun on its connection.</summary>
        public string? TransactionNameFor(ExecutionSite site)
        {
            if (site.Transaction is { Symbol: not null } own)
            {
                return own.Name;
            }

            string? name = null;
            if (site.Connection is not null)
            {
                foreach (var transaction in TransactionsOf(site.Connection))
                {
                    if (transaction.Symbol is ILocalSymbol or IParameterSymbol || transaction.Owner is not null)
                    {
                        if (name is not null && name != transaction.Name)
                        {
                            return null;
                        }

                        name = transaction.Name;
                    }
                }
            }

            return name;
        }

        public ConnectionOrigin OriginOf(ResourceKey key, SyntaxNode body)
        {
            if (key.Kind == ResourceKind.DataSourceConnection)
            {
                return ConnectionOrigin.Fresh;
            }

            if (key.Symbol is not ILocalSymbol local
                || _localsWrittenIndirectly.Contains(local)
                || !_localAssignments.TryGetValue(local, out var assignments)
                || local.DeclaringSyntaxReferences.Length == 0
                || !IsWithin(local.DeclaringSyntaxReferences[0].GetSyntax(), body))
            {
                return ConnectionOrigin.External;
            }

            foreach (var (_, value) in assignments)
            {
                if (!IsFreshConnection(value))
                {
                    return ConnectionOrigin.External;
                }
            }

            return ConnectionOrigin.Fresh;
        }

        /// <summary>
        /// Whether a value is a connection created here: directly, or a local whose every assignment before the position is
        /// one (for <see cref="MethodSummaries"/>, which asks it of returned values).
        /// </summary>
        public bool IsFreshValue(IOperation value, int position)
        {
            if (Unwrap(value, throughAwait: true) is ILocalReferenceOperation local)
            {
                if (_localsWrittenIndirectly.Contains(local.Local) || !_localAssignments.TryGetValue(local.Local, out var assignments))
                {
                    return false;
                }

                var any = false;
                foreach (var (at, assigned) in assignments)
                {
                    if (at < position)
                    {
                        any = true;
                        if (!IsFreshConnection(assigned))
                        {
                            return false;
                        }
                    }
                }

                return any;
            }

            return IsFreshConnection(value);
        }

        /// <summary>The project's method a local's connection came from, when it is a summarized factory (for messages).</summary>
        public IMethodSymbol? FactoryOf(ResourceKey key)
        {
            if (key.Symbol is not ILocalSymbol local || !_localAssignments.TryGetValue(local, out var assignments))
            {
                return null;
            }

            foreach (var (_, value) in assignments)
            {
                if (Unwrap(value, throughAwait: true) is IInvocationOperation invocation && _symbols.Summaries.ReturnsFreshConnection(invocation.TargetMethod))
                {
                    return invocation.TargetMethod;
                }
            }

            return null;
        }

        private bool IsFreshConnection(IOperation value)
        {
            switch (Unwrap(value, throughAwait: true))
            {
                case IObjectCreationOperation creation:
                    return _symbols.IsConnection(creation.Type) || _symbols.IsDbContext(creation.Type);
                case IInvocationOperation { TargetMethod.Name: "OpenConnection" or "OpenConnectionAsync" or "CreateConnection" } invocation
                    when _symbols.IsDataSource(invocation.Instance?.Type) || _symbols.IsProviderFactory(invocation.Instance?.Type):
                    return true;
                case IInvocationOperation { TargetMethod: { Name: "CreateDbContext" or "CreateDbContextAsync", ContainingType.Name: "IDbContextFactory" } } created
                    when _symbols.IsDbContext(MethodSummaries.UnwrapTask(created.Type!)):
                    // EF Core's IDbContextFactory<T> hands out a new context each time.
                    return true;
                case IInvocationOperation invocation:
                    // The project's own connection factory, when its body shows a fresh connection with no setting.
                    return _symbols.Summaries.ReturnsFreshConnection(invocation.TargetMethod);
                default:
                    return false;
            }
        }

        private void IndexAssignments(List<IOperation> all)
        {
            foreach (var operation in all)
            {
                if (operation.Kind is not (OperationKind.VariableDeclarator or OperationKind.SimpleAssignment or OperationKind.Argument
                    or OperationKind.CompoundAssignment or OperationKind.DeconstructionAssignment or OperationKind.Invocation))
                {
                    continue;
                }

                switch (operation)
                {
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                        Add(_localAssignments, declarator.Symbol, declarator.Syntax.SpanStart, initializer.Value);
                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                        Add(_localAssignments, target.Local, assignment.Syntax.SpanStart, assignment.Value);
                        break;
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation owner } property } assignment:
                        var key = (owner.Local, property.Property.Name);
                        _memberAssignments ??= new();
                        if (!_memberAssignments.TryGetValue(key, out var list))
                        {
                            _memberAssignments[key] = list = new List<(int, IOperation)>();
                        }

                        list.Add((assignment.Syntax.SpanStart, assignment.Value));
                        break;
                    case IArgumentOperation { Parameter: { RefKind: RefKind.None } parameter, Value: var passed, Parent: IInvocationOperation call }
                        when Unwrap(passed) is ILocalReferenceOperation command && _symbols.IsCommand(command.Type) && !IsLibraryMethod(call.TargetMethod):
                        // A command handed to one of the project's methods, which may write its text (PrepareCommand(cmd, ...)).
                        _commandHandOvers ??= new(SymbolEqualityComparer.Default);
                        if (!_commandHandOvers.TryGetValue(command.Local, out var handOvers))
                        {
                            _commandHandOvers[command.Local] = handOvers = new List<(int, IInvocationOperation, int)>();
                        }

                        handOvers.Add((call.Syntax.SpanStart, call, parameter.Ordinal));
                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref, Value: ILocalReferenceOperation written }:
                        _localsWrittenIndirectly.Add(written.Local);
                        break;
                    case ICompoundAssignmentOperation { Target: ILocalReferenceOperation written }:
                        _localsWrittenIndirectly.Add(written.Local);
                        break;
                    case IDeconstructionAssignmentOperation deconstruction:
                        foreach (var part in deconstruction.Target.DescendantsAndSelf())
                        {
                            if (part is ILocalReferenceOperation written)
                            {
                                _localsWrittenIndirectly.Add(written.Local);
                            }
                        }

                        IndexDeconstruction(deconstruction);
                        break;
                    case IInvocationOperation { TargetMethod.Name: "Add", Instance: IPropertyReferenceOperation { Property.Name: "BatchCommands", Instance: ILocalReferenceOperation batch } } add
                        when add.Arguments.Length == 1:
                        _batchAdds ??= new(SymbolEqualityComparer.Default);
                        if (!_batchAdds.TryGetValue(batch.Local, out var adds))
                        {
                            _batchAdds[batch.Local] = adds = new List<(int, IOperation)>();
                        }

                        adds.Add((add.Syntax.SpanStart, add.Arguments[0].Value));
                        break;
                }
            }

            // Transactions begun here: tx -> the connection (or DbContext) it belongs to.
            foreach (var pair in _localAssignments)
            {
                foreach (var (_, value) in pair.Value)
                {
                    if (Unwrap(value, throughAwait: true) is IInvocationOperation { TargetMethod.Name: "BeginTransaction" or "BeginTransactionAsync" } begin
                        && KeyOf(begin.Instance) is { } connection)
                    {
                        _transactionConnections[ResourceKey.For(pair.Key, ResourceKind.Connection)] = connection;
                    }
                }
            }

            static void Add(Dictionary<ILocalSymbol, List<(int, IOperation)>> map, ILocalSymbol local, int position, IOperation value)
            {
                if (!map.TryGetValue(local, out var list))
                {
                    map[local] = list = new List<(int, IOperation)>();
                }

                list.Add((position, value));
            }
        }

        /// <summary>
        /// <c>var (conn, tx) = await Db.BeginTenantAsync(tenant);</c>: each declared local remembers the call and its tuple
        /// element, and a transaction so declared belongs to the connection declared with it.
        /// </summary>
        private void IndexDeconstruction(IDeconstructionAssignmentOperation deconstruction)
        {
            var target = deconstruction.Target is IDeclarationExpressionOperation declaration ? declaration.Expression : deconstruction.Target;
            if (target is not ITupleOperation tuple || Unwrap(deconstruction.Value, throughAwait: true) is not IInvocationOperation call)
            {
                return;
            }

            ILocalSymbol? connection = null, transaction = null;
            for (var i = 0; i < tuple.Elements.Length; i++)
            {
                var element = tuple.Elements[i] is IDeclarationExpressionOperation inner ? inner.Expression : tuple.Elements[i];
                if (element is not ILocalReferenceOperation local)
                {
                    continue;
                }

                (_deconstructed ??= new(SymbolEqualityComparer.Default))[local.Local] = (call, i);
                if (_symbols.IsConnection(local.Type))
                {
                    connection = local.Local;
                }
                else if (_symbols.IsTransaction(local.Type))
                {
                    transaction = local.Local;
                }
            }

            if (connection is not null && transaction is not null)
            {
                _transactionConnections[ResourceKey.For(transaction, ResourceKind.Connection)] = ResourceKey.For(connection, ResourceKind.Connection);
            }
        }

        /// <summary>
        /// The state a local's connection starts in when it comes from one of the project's methods that returns it
        /// (alone, or in a tuple deconstructed here) in a known state (<see cref="Flow.ReturnedConnection"/>): fresh,
        /// or with the tenant settings applied. Null for anything else.
        /// </summary>
        public Flow.ConnectionState? ReturnedStateOf(ResourceKey key, SyntaxNode body, TenantGuardOptions options) =>
            ReturnedBy(key, body, options) is { } returned ? returned.Returned.State : null;

        /// <summary>The project's method a local's connection came from, when it returns it with no setting (for messages).</summary>
        public IMethodSymbol? ReturningFactoryOf(ResourceKey key, TenantGuardOptions options) =>
            ReturnedBy(key, Root.Syntax, options) is { } returned && returned.Returned.State.Context == Flow.ContextState.None ? returned.Call.TargetMethod : null;

        private static bool Within(ILocalSymbol local, SyntaxNode body) =>
            local.DeclaringSyntaxReferences.Length > 0 && IsWithin(local.DeclaringSyntaxReferences[0].GetSyntax(), body);

        private (IInvocationOperation Call, Flow.ReturnedConnection Returned)? ReturnedBy(ResourceKey key, SyntaxNode body, TenantGuardOptions options)
        {
            if (key.Owner is { } owner)
            {
                // session.Connection, session.Item1: the local holds what one of the project's methods returned.
                return Within(owner, body)
                    && Unwrap(SingleAssignment(owner), throughAwait: true) is IInvocationOperation holderCall
                    && _symbols.Summaries.ReturnedConnectionOf(holderCall.TargetMethod, options) is { } held && held.HoldsConnectionIn(key.Symbol)
                    ? (holderCall, held)
                    : null;
            }

            if (key.Symbol is not ILocalSymbol local || !Within(local, body))
            {
                return null;
            }

            if (_deconstructed is not null && _deconstructed.TryGetValue(local, out var part))
            {
                return !_localAssignments.ContainsKey(local)
                    && _symbols.Summaries.ReturnedConnectionOf(part.Call.TargetMethod, options) is { } tupled && tupled.ConnectionElement == part.Element
                    ? (part.Call, tupled)
                    : null;
            }

            return Unwrap(SingleAssignment(local), throughAwait: true) is IInvocationOperation call
                && _symbols.Summaries.ReturnedConnectionOf(call.TargetMethod, options) is { ConnectionElement: -1, ConnectionMember: null } alone
                ? (call, alone)
                : null;
        }

        /// <summary>The key of the connection (or DbContext) an expression denotes.</summary>
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

        public ResourceKey? KeyOf(IOperation? operation)
        {
            switch (Unwrap(operation))
            {
                case ILocalReferenceOperation local:
                    return ResourceKey.For(local.Local, KindOf(local.Type));
                case IParameterReferenceOperation parameter:
                    return ResourceKey.For(parameter.Parameter, KindOf(parameter.Type));
                case IMemberReferenceOperation { Instance: ILocalReferenceOperation owner } member
                    when (member is IPropertyReferenceOperation || member is IFieldReferenceOperation) && IsHolder(owner.Type)
                        && (_symbols.IsConnection(member.Type) || _symbols.IsTransaction(member.Type)):
                    return ResourceKey.ForMember(owner.Local, member.Member, KindOf(member.Type));
                case IFieldReferenceOperation field:
                    return ResourceKey.For(field.Field, KindOf(field.Type));
                case IPropertyReferenceOperation { Property.Name: "Connection", Instance: { } owner } when _symbols.IsTransaction(owner.Type):
                    return ConnectionOfTransaction(KeyOf(owner)) ?? KeyOf(owner);
                case IPropertyReferenceOperation { Property.Name: "Database", Instance: { } owner } when _symbols.IsDbContext(owner.Type):
                    return KeyOf(owner);
                case IPropertyReferenceOperation { Instance: { } owner } property when _symbols.IsDbContext(owner.Type) && !_symbols.IsConnection(property.Type):
                    return KeyOf(owner); // db.Contacts (a DbSet)
                case IPropertyReferenceOperation property:
                    return ResourceKey.For(property.Property, KindOf(property.Type));
                case IInvocationOperation { TargetMethod.Name: "Set", Instance: { } owner } when _symbols.IsDbContext(owner.Type):
                    return KeyOf(owner);
                case IInstanceReferenceOperation instance when instance.Type is not null:
                    return ResourceKey.For(instance.Type, KindOf(instance.Type));
                default:
                    return null;
            }
        }

        /// <summary>
        /// A local's type that holds a connection or transaction in a member: a tuple, or a class, struct or record of the
        /// project (<c>record TenantSession(NpgsqlConnection Connection, NpgsqlTransaction Transaction)</c>). Its members
        /// are keyed per local, so two sessions are two connections.
        /// </summary>
        private bool IsHolder(ITypeSymbol? type) =>
            type is INamedTypeSymbol named
            && (named.IsTupleType || (named.DeclaringSyntaxReferences.Length > 0 && (_symbols.RolesOf(named) & TypeRole.DataAccess) == 0));

        private ResourceKind KindOf(ITypeSymbol? type) => _symbols.IsDbContext(type) ? ResourceKind.DbContext : ResourceKind.Connection;

        private ExecutionSite? TryCreateSite(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var containing = method.ContainingType;
            if (containing is null)
            {
                return null;
            }

            if (SymbolEqualityComparer.Default.Equals(containing, _symbols.SqlMapper))
            {
                return TryCreateDapperSite(invocation);
            }

            if (SymbolEqualityComparer.Default.Equals(containing, _symbols.RelationalDatabaseFacadeExtensions)
                || SymbolEqualityComparer.Default.Equals(containing, _symbols.RelationalQueryableExtensions))
            {
                return TryCreateEfCoreSite(invocation) ?? EfCoreQueries.TryCreate(invocation, this, _symbols);
            }

            if (EfCoreQueries.TryCreate(invocation, this, _symbols) is { } query)
            {
                return query;
            }

            if (!method.Name.StartsWith("Execute", StringComparison.Ordinal) || invocation.Instance is null)
            {
                return null;
            }

            var position = invocation.Syntax.SpanStart;
            if (IsOtherProvider(invocation.Instance, position))
            {
                return null;
            }

            if (_symbols.IsCommand(invocation.Instance.Type))
            {
                var facts = CommandFacts(invocation.Instance, position);
                if (IsOtherProvider(facts.Connection, position))
                {
                    return null;
                }

                return CreateAdoSite(invocation, facts, facts.WrittenText ?? (facts.Text is null ? null : SqlTextResolver.Resolve(facts.Text, this, bound: false)));
            }

            if (_symbols.IsBatch(invocation.Instance.Type))
            {
                var facts = CommandFacts(invocation.Instance, position);
                return CreateAdoSite(invocation, facts, BatchSql(invocation.Instance, position, facts));
            }

            return null;
        }

        private ExecutionSite CreateAdoSite(IInvocationOperation invocation, Facts facts, SqlSource? sql)
        {
            var transaction = KeyOf(facts.Transaction);
            if (facts.FromDataSource)
            {
                return new ExecutionSite(invocation, SiteKind.DataSourceCommand, ResourceKey.ForDataSource(invocation.Syntax), transaction, sql);
            }

            var connection = KeyOf(facts.Connection) ?? ConnectionOfTransaction(transaction);
            var kind = _symbols.IsBatch(invocation.Instance!.Type) ? SiteKind.Batch : SiteKind.Command;
            return new ExecutionSite(invocation, kind, connection, transaction, sql);
        }

        private ExecutionSite? TryCreateDapperSite(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.Parameters.Length == 0 || !_symbols.IsConnection(method.Parameters[0].Type) || invocation.Arguments.Length == 0
                || IsOtherProvider(invocation.Arguments[0].Value, invocation.Syntax.SpanStart))
            {
                return null;
            }

            IOperation? sql = null;
            IOperation? transaction = null;
            var hasSql = false;
            foreach (var argument in invocation.Arguments)
            {
                var parameter = argument.Parameter;
                if (parameter is null)
                {
                    continue;
                }

                if (parameter.Name == "sql" && parameter.Type.SpecialType == SpecialType.System_String)
                {
                    hasSql = true;
                    sql = argument.Value;
                }
                else if (parameter.Name == "transaction" && !IsNullOrDefault(argument.Value))
                {
                    transaction = argument.Value;
                }
                else if (SymbolEqualityComparer.Default.Equals(parameter.Type, _symbols.CommandDefinition))
                {
                    hasSql = true;
                    var definition = CommandDefinitionCreation(argument.Value, invocation.Syntax.SpanStart);
                    if (definition is not null)
                    {
                        sql = Argument(definition.Arguments, "commandText");
                        transaction = Argument(definition.Arguments, "transaction");
                    }
                }
            }

            if (!hasSql)
            {
                return null;
            }

            var transactionKey = KeyOf(transaction);
            var connection = KeyOf(invocation.Arguments[0].Value) ?? ConnectionOfTransaction(transactionKey);
            return new ExecutionSite(invocation, SiteKind.Dapper, connection, transactionKey, sql is null ? null : SqlTextResolver.Resolve(sql, this, bound: false));
        }

        private IObjectCreationOperation? CommandDefinitionCreation(IOperation value, int position)
        {
            var unwrapped = Unwrap(value);
            if (unwrapped is ILocalReferenceOperation local)
            {
                unwrapped = Unwrap(LastAssignment(local.Local, position).Value);
            }

            return unwrapped as IObjectCreationOperation;
        }

        private ExecutionSite? TryCreateEfCoreSite(IInvocationOperation invocation)
        {
            var name = invocation.TargetMethod.Name;
            if (!name.StartsWith("ExecuteSql", StringComparison.Ordinal) && !name.StartsWith("SqlQuery", StringComparison.Ordinal) && !name.StartsWith("FromSql", StringComparison.Ordinal))
            {
                return null;
            }

            IOperation? sql = null;
            var bound = false;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Name == "sql")
                {
                    sql = argument.Value;
                    bound = SymbolEqualityComparer.Default.Equals(argument.Parameter.Type, _symbols.FormattableString);
                }
            }

            var context = invocation.Arguments.Length > 0 ? KeyOf(invocation.Arguments[0].Value) : null;
            var source = sql is null ? null : SqlTextResolver.Resolve(sql, this, bound);
            if (source is not null && !bound && HasFormatParameters(invocation))
            {
                // ExecuteSqlRaw("SET LOCAL app.tenant_id = {0}", tenant): EF Core turns {0} into a bind parameter.
                source = source.WithFormatPlaceholdersBound();
            }

            return new ExecutionSite(invocation, SiteKind.EfCore, context, null, source);
        }

        /// <summary>Whether a raw-SQL call passes values for <c>{0}</c>-style placeholders (its params array is not empty).</summary>
        private static bool HasFormatParameters(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { IsParams: true } && !(argument.Value is IArrayCreationOperation { Initializer.ElementValues.Length: 0 }))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>What is known of a command (or batch) at a position: its text, connection and transaction.</summary>
        private sealed class Facts
        {
            public IOperation? Text { get; set; }

            /// <summary>The text a helper of the project wrote into the command after its last own CommandText assignment.</summary>
            public SqlSource? WrittenText { get; set; }

            public IOperation? Connection { get; set; }

            public IOperation? Transaction { get; set; }

            public bool FromDataSource { get; set; }

            public IObjectOrCollectionInitializerOperation? Initializer { get; set; }

            public int CreatedAt { get; set; } = -1;
        }

        private Facts CommandFacts(IOperation receiver, int position)
        {
            var facts = new Facts();
            var unwrapped = Unwrap(receiver);
            if (unwrapped is ILocalReferenceOperation local)
            {
                var (createdAt, creation) = LastAssignment(local.Local, position);
                if (creation is not null)
                {
                    ApplyCreation(facts, creation);
                    facts.CreatedAt = createdAt;
                }

                Overlay(facts, local.Local, "CommandText", createdAt, position, (f, v) => f.Text = v);
                facts.WrittenText = TextWrittenByHelper(local.Local, createdAt, position);
                Overlay(facts, local.Local, "Connection", createdAt, position, (f, v) => f.Connection = v);
                Overlay(facts, local.Local, "Transaction", createdAt, position, (f, v) => f.Transaction = v);
            }
            else if (unwrapped is not null)
            {
                ApplyCreation(facts, unwrapped);
            }

            return facts;
        }

        /// <summary>
        /// The SQL text the last hand-over of a command local to one of the project's methods wrote (between its creation and
        /// the execution, and after its last CommandText assignment here), mapped to that call.
        /// </summary>
        private SqlSource? TextWrittenByHelper(ILocalSymbol command, int after, int before)
        {
            if (_commandHandOvers is null || !_commandHandOvers.TryGetValue(command, out var handOvers))
            {
                return null;
            }

            var lastOwn = -1;
            if (_memberAssignments is not null && _memberAssignments.TryGetValue((command, "CommandText"), out var assignments))
            {
                foreach (var (position, _) in assignments)
                {
                    if (position > after && position < before && position > lastOwn)
                    {
                        lastOwn = position;
                    }
                }
            }

            SqlSource? text = null;
            var at = System.Math.Max(after, lastOwn);
            foreach (var (position, call, ordinal) in handOvers)
            {
                if (position > at && position < before && _symbols.Summaries.CommandTextWrittenBy(call.TargetMethod, ordinal) is { } written)
                {
                    text = written.MappedTo(call.Syntax);
                    at = position;
                }
            }

            return text;
        }

        private void Overlay(Facts facts, ILocalSymbol local, string member, int after, int before, Action<Facts, IOperation?> set)
        {
            if (_memberAssignments is null || !_memberAssignments.TryGetValue((local, member), out var assignments))
            {
                return;
            }

            var best = -1;
            foreach (var (position, value) in assignments)
            {
                if (position > after && position < before && position > best)
                {
                    best = position;
                    set(facts, IsNullOrDefault(value) ? null : value);
                }
            }
        }

        private void ApplyCreation(Facts facts, IOperation value)
        {
            switch (Unwrap(value, throughAwait: true))
            {
                case IObjectCreationOperation creation:
                    foreach (var argument in creation.Arguments)
                    {
                        if (argument.Parameter is not { } parameter || IsNullOrDefault(argument.Value))
                        {
                            continue;
                        }

                        if (parameter.Type.SpecialType == SpecialType.System_String)
                        {
                            facts.Text = argument.Value;
                        }
                        else if (_symbols.IsConnection(parameter.Type))
                        {
                            facts.Connection = argument.Value;
                        }
                        else if (_symbols.IsTransaction(parameter.Type))
                        {
                            facts.Transaction = argument.Value;
                        }
                    }

                    if (creation.Initializer is { } initializer)
                    {
                        facts.Initializer = initializer;
                        foreach (var member in initializer.Initializers)
                        {
                            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment && !IsNullOrDefault(assignment.Value))
                            {
                                switch (property.Property.Name)
                                {
                                    case "CommandText":
                                        facts.Text = assignment.Value;
                                        break;
                                    case "Connection":
                                        facts.Connection = assignment.Value;
                                        break;
                                    case "Transaction":
                                        facts.Transaction = assignment.Value;
                                        break;
                                }
                            }
                        }
                    }

                    break;
                case IInvocationOperation { TargetMethod.Name: "CreateCommand" or "CreateBatch" or "CreateBatchCommand", Instance: { } owner } invocation:
                    if (_symbols.IsDataSource(owner.Type))
                    {
                        facts.FromDataSource = true;
                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String && !IsNullOrDefault(argument.Value))
                            {
                                facts.Text = argument.Value;
                            }
                        }
                    }
                    else if (_symbols.IsConnection(owner.Type))
                    {
                        facts.Connection = owner;
                    }

                    break;
            }
        }

        private SqlSource? BatchSql(IOperation receiver, int position, Facts facts)
        {
            var commands = new List<IOperation>();
            if (facts.Initializer is not null)
            {
                foreach (var operation in facts.Initializer.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "Add" } add && add.Arguments.Length == 1 && _symbols.IsBatchCommand(add.Arguments[0].Value.Type))
                    {
                        commands.Add(add.Arguments[0].Value);
                    }
                }
            }

            if (Unwrap(receiver) is ILocalReferenceOperation batch && _batchAdds is not null && _batchAdds.TryGetValue(batch.Local, out var adds))
            {
                foreach (var (addedAt, command) in adds)
                {
                    if (addedAt > facts.CreatedAt && addedAt < position)
                    {
                        commands.Add(command);
                    }
                }
            }

            if (commands.Count == 0)
            {
                return null;
            }

            var builder = new SqlSource.Builder();
            foreach (var command in commands)
            {
                var text = CommandFacts(command, command.Syntax.Span.End + 1).Text;
                var source = text is null ? null : SqlTextResolver.Resolve(text, this, bound: false);
                builder.AppendSeparator();
                if (source is null)
                {
                    builder.AppendHole(command, bound: false);
                }
                else
                {
                    builder.AppendSource(source);
                }
            }

            return builder.ToSource();
        }

        /// <summary>The last value assigned to a local before a position (its declaration included).</summary>
        public (int Position, IOperation? Value) LastAssignment(ILocalSymbol local, int before)
        {
            if (!_localAssignments.TryGetValue(local, out var assignments))
            {
                return (-1, null);
            }

            (int, IOperation?) best = (-1, null);
            foreach (var (position, value) in assignments)
            {
                if (position < before && position > best.Item1)
                {
                    best = (position, value);
                }
            }

            return best;
        }

        /// <summary>The value of a local assigned exactly once (its initializer), else null.</summary>
        public IOperation? SingleAssignment(ILocalSymbol local) =>
            !_localsWrittenIndirectly.Contains(local) && _localAssignments.TryGetValue(local, out var assignments) && assignments.Count == 1
                ? assignments[0].Value
                : null;

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
                    // (Flow/ConnectionEffect); one given the connection too has it read on the connection's parameter.
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

        /// <summary>The catch clause's <c>catch (...)</c> part: where TG1003 and TG1004 report.</summary>
        public static Location CatchLocation(ICatchClauseOperation clause)
        {
            if (clause.Syntax is CatchClauseSyntax syntax)
            {
                var end = syntax.Declaration?.Span.End ?? syntax.CatchKeyword.Span.End;
                return Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, end));
            }

            return clause.Syntax.GetLocation();
        }
    }
}
