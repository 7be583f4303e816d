using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Sql;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// The execution sites and transaction/connection events of one operation block (a method with the lambdas and
    /// local functions inside it), read from the operation tree once and shared by every rule.
    /// </summary>
    internal sealed partial class MethodModel
    {
        private readonly DataAccessSymbols _symbols;
        private readonly ICalleeSummaries _summaries;
        private readonly ImmutableArray<ISiteRecognizer> _recognizers;
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

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        internal MethodModel(IOperation root, ModelBuilder builder, ImmutableHashSet<string> networkTypes, List<IOperation>? operations)
        {
            Root = root;
            _symbols = builder.Symbols;
            _summaries = builder.Summaries;
            _recognizers = builder.Recognizers;
            _networkTypes = networkTypes;
            // The passes below test operation.Kind before any interface pattern: a type test against Roslyn's operation
            // classes costs far more than a Kind comparison, and these loops see every operation of the method.
            var all = operations ?? Operations(root, null)!;
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
                    && TryCreateEnumerated(query) is { } enumerated)
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
            // TG1010 reports an API begin on a connection whose transaction may be open: it needs a connection with an
            // API begin and a second begin (API or SQL) on it, or an API begin that may run twice.
            Dictionary<ResourceKey, int>? begins = null;
            foreach (var flowEvent in _events.Values)
            {
                if (flowEvent.Kind == FlowEventKind.BeginTransaction && flowEvent.Connection is { } connection)
                {
                    begins ??= new Dictionary<ResourceKey, int>();
                    begins.TryGetValue(connection, out var count);
                    begins[connection] = count + (IsRepeatable(flowEvent.Operation) ? 2 : 1);
                }
            }

            foreach (var site in Sites)
            {
                var sqlBegin = site.Sql is { } sql && BeginsTransaction(sql);
                MayUseTransactions |= site.Transaction is not null || sqlBegin;
                if (sqlBegin && site.Connection is { } connection && begins is not null && begins.TryGetValue(connection, out var count))
                {
                    begins[connection] = count + 1;
                }
            }

            if (begins is not null)
            {
                foreach (var count in begins.Values)
                {
                    MayBeginTwice |= count >= 2;
                }
            }
        }

        /// <summary>
        /// Whether a transaction may be begun while one is open: two begins on one connection (an API begin and another,
        /// API or SQL), or an API begin in a loop, a lambda or a local function. Without that TG1010 has nothing to find.
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
            // A BEGIN or START TRANSACTION statement begins with that word, unquoted: text without either needs no lexing.
            if (!sql.Mentions("begin") && !sql.Mentions("start"))
            {
                return false;
            }

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
        /// <param name="dataAccess">When given, whether an operation has a data-access type (of a PostgreSQL-capable provider) is
        /// asked on the way, until one has (<see cref="OperationsIfDataAccess"/>).</param>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static List<IOperation>? Operations(IOperation root, DataAccessSymbols? dataAccess)
        {
            var result = t_operations ?? new List<IOperation>(256);
            t_operations = null;
            var stack = t_walk ??= new Stack<IOperation>();
            stack.Clear();
            stack.Push(root);
            var children = t_children ??= new List<IOperation>();
            while (stack.Count > 0)
            {
                var operation = stack.Pop();
                if (operation.Kind is OperationKind.VariableDeclarator or OperationKind.SimpleAssignment or OperationKind.Argument
                    or OperationKind.CompoundAssignment or OperationKind.DeconstructionAssignment or OperationKind.Invocation
                    or OperationKind.Try or OperationKind.ObjectCreation or OperationKind.Loop)
                {
                    result.Add(operation);
                }

                if (dataAccess is not null)
                {
                    var roles = dataAccess.RolesOf(operation.Type);
                    if ((roles & TypeRole.DataAccess) != 0 && (roles & TypeRole.OtherProvider) == 0)
                    {
                        dataAccess = null;
                    }
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

            if (dataAccess is not null)
            {
                // No operation touched data access: nothing to build.
                ReturnOperations(result);
                return null;
            }

            return result;
        }

        /// <summary>
        /// The operations a model of the block reads (<see cref="Operations"/>), or null when no operation of the block has a
        /// data-access type of a PostgreSQL-capable provider. Most methods of a project never touch a connection, command,
        /// transaction or DbContext; the same walk that lists the operations of the others spares them a model.
        /// </summary>
        public static List<IOperation>? OperationsIfDataAccess(IOperation root, DataAccessSymbols symbols) => Operations(root, symbols);

        [ThreadStatic]
        private static List<IOperation>? t_children;

        private static void ReturnOperations(List<IOperation> operations)
        {
            operations.Clear();
            t_operations = operations;
        }

        /// <summary>
        /// Whether a connection, command or transaction belongs to another database's provider: typed as one
        /// (<c>SqlConnection</c>), or a local last assigned one (<c>IDbConnection c = new SqlConnection(...)</c>).
        /// </summary>
        internal bool IsOtherProvider(IOperation? value, int position)
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

        /// <summary>The data-access types of the compilation.</summary>
        public DataAccessSymbols Symbols => _symbols;

        /// <summary>What the project's methods this one calls do, for the recognizers (the text a helper writes into a command).</summary>
        internal ICalleeSummaries Summaries => _summaries;

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
        /// one (for the summaries, which ask it of returned values).
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

        /// <summary>The values assigned to a local in the method (its declaration included), in source order; null when none is.</summary>
        internal IReadOnlyList<(int Position, IOperation Value)>? AssignmentsOf(ILocalSymbol local) =>
            _localAssignments.TryGetValue(local, out var assignments) ? assignments : null;

        /// <summary>The values assigned to a member of a local (<c>cmd.CommandText = ...</c>), in source order; null when none is.</summary>
        internal List<(int Position, IOperation Value)>? MemberAssignments(ILocalSymbol local, string member) =>
            _memberAssignments is not null && _memberAssignments.TryGetValue((local, member), out var assignments) ? assignments : null;

        /// <summary>The calls that hand a command local to one of the project's methods, with the parameter's ordinal; null when none does.</summary>
        internal List<(int Position, IInvocationOperation Call, int Ordinal)>? CommandHandOvers(ILocalSymbol command) =>
            _commandHandOvers is not null && _commandHandOvers.TryGetValue(command, out var handOvers) ? handOvers : null;

        /// <summary>The commands added to a batch local's <c>BatchCommands</c>, in source order; null when none is.</summary>
        internal List<(int Position, IOperation Command)>? BatchAdds(ILocalSymbol batch) =>
            _batchAdds is not null && _batchAdds.TryGetValue(batch, out var adds) ? adds : null;

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
                    when _symbols.IsDbContext(UnwrapTask(created.Type!)):
                    // EF Core's IDbContextFactory<T> hands out a new context each time.
                    return true;
                case IInvocationOperation invocation:
                    // The project's own connection factory, when its body shows a fresh connection with no setting.
                    return _summaries.ReturnsFreshConnection(invocation.TargetMethod);
                default:
                    return false;
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
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
        /// The call and tuple element a local was declared from by deconstruction (<c>var (conn, tx) = await
        /// Db.BeginTenantAsync(tenant);</c>), or null.
        /// </summary>
        internal (IInvocationOperation Call, int Element)? DeconstructedFrom(ILocalSymbol local) =>
            _deconstructed is not null && _deconstructed.TryGetValue(local, out var part) ? part : null;

        /// <summary>The key of the connection (or DbContext) an expression denotes.</summary>
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

        /// <summary>The execution site an invocation is: the first one a recognizer of the builder finds.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private ExecutionSite? TryCreateSite(IInvocationOperation invocation)
        {
            if (invocation.TargetMethod.ContainingType is null)
            {
                return null;
            }

            foreach (var recognizer in _recognizers)
            {
                if (recognizer.TryCreate(invocation, this) is { } site)
                {
                    return site;
                }
            }

            return null;
        }

        /// <summary>The execution site of a <c>foreach</c> over a query: the first one a recognizer of the builder finds.</summary>
        private ExecutionSite? TryCreateEnumerated(IOperation collection)
        {
            foreach (var recognizer in _recognizers)
            {
                if (recognizer.TryCreateEnumerated(collection, this) is { } site)
                {
                    return site;
                }
            }

            return null;
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
