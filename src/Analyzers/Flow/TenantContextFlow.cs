using System;
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
    /// A forward data-flow analysis over the control-flow graph: for every connection, whether a transaction is
    /// open and whether a tenant setting is in effect, before every event of the method (and of its lambdas and
    /// local functions, each analysed on its own, with captured connections treated as received).
    /// </summary>
    internal sealed class TenantContextFlow : IFlowStates
    {
        private const int MaxPasses = 64;

        private readonly MethodModel _model;
        private readonly MethodSummaries _summaries;
        private readonly TenantGuardOptions _options;
        private readonly Dictionary<SyntaxNode, FlowState> _before = new();
        private readonly List<FlowBody> _bodies = new();
        private readonly ImmutableHashSet<IParameterSymbol> _unassumed;
        private readonly bool _recordCallbacks;
        private readonly bool _pipelineProbe;
        private readonly bool _recordCalls;
        private Dictionary<SyntaxNode, EntryPointKind>? _entryPoints;
        private HashSet<IParameterSymbol>? _methodGroups;
        private Dictionary<IParameterSymbol, (ConnectionState State, IMethodSymbol Wrapper)>? _callbacks;

        private TenantContextFlow(MethodModel model, MethodSummaries summaries, TenantGuardOptions options, ImmutableHashSet<IParameterSymbol>? unassumed, bool recordCallbacks, bool pipelineProbe, bool recordCalls)
        {
            _summaries = summaries;
            _pipelineProbe = pipelineProbe;
            _recordCalls = recordCalls;
            _model = model;
            _options = options;
            _unassumed = unassumed ?? ImmutableHashSet<IParameterSymbol>.Empty;
            _recordCallbacks = recordCallbacks;
        }

        public IReadOnlyList<FlowBody> Bodies => _bodies;

        /// <param name="summaries">What the project's methods the method calls do: consulted at each call, and where a connection came from.</param>
        /// <param name="unassumed">
        /// Parameters whose connection starts with no tenant setting in the method's own body (to summarize what the
        /// method does to it, see <see cref="ConnectionEffect"/>), instead of the caller's assumed setting.
        /// </param>
        /// <param name="recordCallbacks">
        /// Record the state before each invocation of a delegate parameter that hands it a connection (to summarize a
        /// with-tenant wrapper, see <see cref="CallbackEntry"/>).
        /// </param>
        /// <param name="pipelineProbe">
        /// Reading a middleware to learn whether it keeps a transaction open around the rest of the pipeline
        /// (<see cref="MethodSummaries.InPipelineTransaction"/>): its injected contexts start with no transaction.
        /// </param>
        /// <param name="recordCalls">
        /// Record the state before every call of one of the project's methods, even where the method uses no transaction
        /// (to learn the state an entry point, or a helper reached only from entry points, calls its helpers in, see
        /// <see cref="MethodSummaries.CalledOutsideTransactions"/>).
        /// </param>
        public static TenantContextFlow Run(ControlFlowGraph graph, MethodModel model, MethodSummaries summaries, TenantGuardOptions options, ImmutableHashSet<IParameterSymbol>? unassumed = null, bool recordCallbacks = false, bool pipelineProbe = false, bool recordCalls = false)
        {
            var flow = new TenantContextFlow(model, summaries, options, unassumed, recordCallbacks, pipelineProbe, recordCalls);
            flow.Analyze(graph, model.Root.Syntax);
            return flow;
        }

        /// <summary>The state just before an event, or null when the event is unreachable.</summary>
        public FlowState? StateBefore(SyntaxNode eventSyntax) => _before.TryGetValue(eventSyntax, out var state) ? state : null;

        IReadOnlyList<KeyValuePair<ResourceKey, ConnectionState>>? IFlowStates.ConnectionsBefore(SyntaxNode eventSyntax) => StateBefore(eventSyntax)?.Connections;

        ConnectionState? IFlowStates.StateBefore(SyntaxNode eventSyntax, ResourceKey key) => StateBefore(eventSyntax) is { } state ? state[key] : null;

        /// <summary>
        /// The project's with-tenant wrapper whose invocation of a callback a lambda's connection parameter starts from
        /// (<c>store.InTransactionAsync((connection, transaction) =&gt; ...)</c>), or null.
        /// </summary>
        public IMethodSymbol? WrapperOf(ResourceKey key) =>
            key.Symbol is IParameterSymbol parameter && _callbacks is not null && _callbacks.TryGetValue(parameter, out var entry) ? entry.Wrapper : null;

        private ConnectionState Initial(ResourceKey key, SyntaxNode body)
        {
            var initial = InitialOf(key, body);

            // A lambda's (or local function's) received connection: a callback of code TenantGuard cannot read, which may
            // have applied the tenant before invoking it; a setting the lambda applies adds to that. So does one of a
            // method group handed to a wrapper that itself received the connection it passes on.
            var callback = key.Symbol is IParameterSymbol parameter && _callbacks is not null && _callbacks.ContainsKey(parameter);
            return initial.Context == ContextState.Assumed && (body != _model.Root.Syntax || callback) ? ConnectionState.AssumedAdditive(initial.Transaction) : initial;
        }

        /// <summary>
        /// An EF Core context injected into a framework entry point (<see cref="EntryPoints"/>): a parameter of the
        /// method or handler, a field or property of its class, or a service it resolves. No code of the application
        /// runs before it, so no transaction is open on it, unless a middleware of the project keeps one open on that
        /// context type around the rest of the request's pipeline.
        /// </summary>
        private bool InjectedAtEntryPoint(ResourceKey key, SyntaxNode body)
        {
            var resolved = key.Symbol is ILocalSymbol local && key.Owner is null && _model.SingleAssignment(local) is { } value
                && OperationHelpers.Unwrap(value) is IInvocationOperation { TargetMethod.Name: "GetRequiredService" or "GetService" };
            if ((key.Symbol is ILocalSymbol && !resolved) || OperationHelpers.TypeOf(key.Symbol) is not { } type)
            {
                return false;
            }

            var kind = EntryPointOf(body);
            if (kind == EntryPointKind.None)
            {
                return CalledOnlyByEntryPoints(key, body);
            }

            return kind == EntryPointKind.Background
                || (kind == EntryPointKind.Request && (_pipelineProbe || !_summaries.InPipelineTransaction(type, _options)));
        }

        /// <summary>
        /// A private or internal helper of an entry point's class (a controller, a middleware), called only from that
        /// class's entry points with this context (the same field or property, or, for a parameter, an argument that is
        /// one) where no transaction is open on it, or also from other such helpers of the class where their own flow
        /// has none open: it starts as its callers leave the context, with no transaction. Only in the method's own
        /// body, for the rules and for reading the state at its calls of a further helper (not while summarizing it for
        /// a caller).
        /// </summary>
        private bool CalledOnlyByEntryPoints(ResourceKey key, SyntaxNode body)
        {
            if (body != _model.Root.Syntax || _pipelineProbe || _recordCallbacks || !_unassumed.IsEmpty
                || _model.Root.SemanticModel?.GetDeclaredSymbol(body) is not IMethodSymbol helper)
            {
                return false;
            }

            var context = key.Symbol switch
            {
                IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, helper) => parameter,
                // A primary constructor's parameter, captured by the class: its field.
                IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor } captured
                    when !helper.IsStatic && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, helper.ContainingType) => captured,
                IFieldSymbol { IsStatic: false } field when !helper.IsStatic => field,
                IPropertySymbol { IsStatic: false } property when !helper.IsStatic => (ISymbol)property,
                _ => null,
            };
            return context is not null && _summaries.CalledOutsideTransactions(helper, context, _options);
        }

        private EntryPointKind EntryPointOf(SyntaxNode body)
        {
            _entryPoints ??= new Dictionary<SyntaxNode, EntryPointKind>();
            if (_entryPoints.TryGetValue(body, out var known))
            {
                return known;
            }

            var kind = EntryPointKind.None;
            if (body == _model.Root.Syntax)
            {
                if (_model.Root.SemanticModel?.GetDeclaredSymbol(body) is IMethodSymbol method)
                {
                    kind = EntryPoints.KindOf(method);
                }
            }
            else if (OperationHelpers.LambdaAt(_model.Root, body) is { } lambda && (EntryPoints.IsMinimalApiHandler(lambda) || EntryPoints.IsInlineMiddleware(lambda)))
            {
                kind = EntryPointKind.Request;
            }

            _entryPoints[body] = kind;
            return kind;
        }

        private ConnectionState InitialOf(ResourceKey key, SyntaxNode body)
        {
            if (key.Symbol is IParameterSymbol own && body == _model.Root.Syntax && !_unassumed.Contains(own))
            {
                EnterMethodGroup(own);
            }

            if (key.Symbol is IParameterSymbol callbackParameter && _callbacks is not null && _callbacks.TryGetValue(callbackParameter, out var callback))
            {
                // A lambda handed to one of the project's wrappers starts from what the wrapper established before
                // invoking it (a transaction, the tenant setting), not from an assumption.
                return callback.State;
            }

            if (key.Symbol is IParameterSymbol parameter && _unassumed.Contains(parameter) && body == _model.Root.Syntax)
            {
                // A helper given only the caller's transaction works on its connection (tx.Connection), in that open
                // transaction.
                return new ConnectionState(_model.Symbols.IsTransaction(parameter.Type) ? TransactionState.Open : TransactionState.Unknown, ContextState.None);
            }

            if (key.Kind == ResourceKind.DbContext)
            {
                // A context the method creates has no transaction; one it receives (a parameter, a field, this) is the
                // caller's, whose transaction and tenant context are not known here, unless the caller is the framework
                // (a middleware, a controller action, a hosted service ...): then no transaction is open.
                var fresh = _model.OriginOf(key, body) == ConnectionOrigin.Fresh;
                var context = _options.EfCoreContext != EfCoreContextMode.Explicit || (!fresh && _options.AssumeContextOnParameters) ? ContextState.Assumed : ContextState.None;
                return new ConnectionState(fresh || InjectedAtEntryPoint(key, body) ? TransactionState.None : TransactionState.Unknown, context);
            }

            if (_model.OriginOf(key, body) == ConnectionOrigin.Fresh)
            {
                return new ConnectionState(_model.UsesAmbientTransaction ? TransactionState.Unknown : TransactionState.None, ContextState.None);
            }

            // From one of the project's methods that returns it in a known state (a tuple with its transaction, the
            // tenant applied or not).
            return _summaries.ReturnedStateOf(_model, key, body, _options)
                ?? new ConnectionState(TransactionState.Unknown, _options.AssumeContextOnParameters ? ContextState.Assumed : ContextState.None);
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private void Analyze(ControlFlowGraph graph, SyntaxNode bodySyntax, IMethodSymbol? localFunction = null)
        {
            var blocks = graph.Blocks;
            var inputs = new FlowState?[blocks.Length];
            var events = new List<FlowEvent>[blocks.Length];
            var nested = new List<IFlowAnonymousFunctionOperation>();
            for (var i = 0; i < blocks.Length; i++)
            {
                events[i] = CollectEvents(blocks[i], nested);
            }

            var handlers = HandlerEntries(graph);
            var callers = localFunction is null ? null : CallSiteStates(localFunction);
            inputs[0] = new FlowState(
                callers is null ? key => Initial(key, bodySyntax) : key => DeclaredIn(key, bodySyntax) ? Initial(key, bodySyntax) : AtCallSites(callers, key));
            for (var pass = 0; pass < MaxPasses; pass++)
            {
                var changed = false;
                for (var i = 0; i < blocks.Length; i++)
                {
                    var input = inputs[i];
                    if (input is null)
                    {
                        continue;
                    }

                    var output = Transfer(input, events[i]);
                    var block = blocks[i];
                    changed |= Propagate(inputs, block.FallThroughSuccessor?.Destination, ThroughFinally(Refine(output, block, conditional: false), block.FallThroughSuccessor, events));
                    changed |= Propagate(inputs, block.ConditionalSuccessor?.Destination, ThroughFinally(Refine(output, block, conditional: true), block.ConditionalSuccessor, events));
                    foreach (var handler in handlers[i])
                    {
                        changed |= Propagate(inputs, blocks[handler], input);
                        changed |= Propagate(inputs, blocks[handler], output);
                    }
                }

                if (!changed)
                {
                    break;
                }
            }

            _bodies.Add(new FlowBody(graph, bodySyntax, inputs, events));

            foreach (var function in nested)
            {
                EnterCallback(function);
                Analyze(graph.GetAnonymousFunctionControlFlowGraph(function), function.Syntax);
            }

            foreach (var inner in graph.LocalFunctions)
            {
                var reference = inner.DeclaringSyntaxReferences;
                if (reference.Length > 0)
                {
                    Analyze(graph.GetLocalFunctionControlFlowGraph(inner), reference[0].GetSyntax(), inner);
                }
            }
        }

        /// <summary>
        /// A lambda passed to one of the project's methods as a delegate parameter (a with-tenant wrapper): each of its
        /// connection parameters starts as the wrapper's summary says the connection is when the wrapper invokes it
        /// (<see cref="CallbackEntry"/>).
        /// </summary>
        private void EnterCallback(IFlowAnonymousFunctionOperation function)
        {
            var symbols = _model.Symbols;
            var parameters = function.Symbol.Parameters;
            var receivesConnection = false;
            foreach (var parameter in parameters)
            {
                receivesConnection |= CallbackEntry.IsConnectionLike(parameter.Type, symbols);
            }

            if (!receivesConnection)
            {
                return;
            }

            // The lambda as an argument, in the method's own operation tree (the graph may have captured it).
            if (OperationHelpers.LambdaAt(_model.Root, function.Syntax) is not { } lambda
                || OperationHelpers.CallReceiving(lambda) is not { Argument.Parameter: { } delegateParameter, Call: var call }
                || MethodModel.IsLibraryMethod(call.TargetMethod))
            {
                return;
            }

            foreach (var parameter in parameters)
            {
                if (CallbackEntry.IsConnectionLike(parameter.Type, symbols)
                    && _summaries.StateAtCallback(call.TargetMethod, delegateParameter.Ordinal, parameter.Ordinal, _options) is { } state)
                {
                    (_callbacks ??= new Dictionary<IParameterSymbol, (ConnectionState, IMethodSymbol)>(SymbolEqualityComparer.Default))[parameter] = (state, call.TargetMethod);
                }
            }
        }

        /// <summary>
        /// A private method whose only uses in its class (declared in this file) are as a method group handed to the
        /// project's wrappers (<c>store.InTenantTransactionAsync(tenantId, RenameAsync)</c>): its connection parameter
        /// starts as the wrappers leave the connection when they invoke it, merged over every use, as a lambda's would.
        /// Asked once per parameter, only for a connection parameter of a private method.
        /// </summary>
        private void EnterMethodGroup(IParameterSymbol parameter)
        {
            var symbols = _model.Symbols;
            if (parameter.ContainingSymbol is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } method
                || !CallbackEntry.IsConnectionLike(parameter.Type, symbols) || !(_methodGroups ??= new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default)).Add(parameter)
                || _model.Root.SemanticModel is not { } semanticModel)
            {
                return;
            }

            var declarations = method.ContainingType.DeclaringSyntaxReferences;
            foreach (var declaration in declarations)
            {
                if (declaration.SyntaxTree != semanticModel.SyntaxTree)
                {
                    return; // a partial class with parts elsewhere: its other uses are not read
                }
            }

            ConnectionState? merged = null;
            IMethodSymbol? wrapper = null;
            foreach (var declaration in declarations)
            {
                foreach (var node in declaration.GetSyntax().DescendantNodes())
                {
                    if (node is not Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax name || name.Identifier.ValueText != method.Name)
                    {
                        continue;
                    }

                    // this.RenameAsync, Service.RenameAsync: the operation is the member access's.
                    SyntaxNode use = name.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access && access.Name == name ? access : name;

                    // Any other use (a call, a delegate kept in a variable) may hand it a connection in another state.
                    if (semanticModel.GetOperation(use) is not IMethodReferenceOperation reference
                        || !SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, method.OriginalDefinition)
                        || reference.Parent is not IDelegateCreationOperation creation
                        || OperationHelpers.CallReceiving(creation) is not { Argument.Parameter: { } delegateParameter, Call: var call }
                        || MethodModel.IsLibraryMethod(call.TargetMethod)
                        || _summaries.StateAtCallback(call.TargetMethod, delegateParameter.Ordinal, parameter.Ordinal, _options) is not { } state)
                    {
                        return;
                    }

                    merged = merged is { } earlier ? ConnectionState.Merge(earlier, state) : state;
                    wrapper = call.TargetMethod;
                }
            }

            if (merged is { } entry && wrapper is not null)
            {
                (_callbacks ??= new Dictionary<IParameterSymbol, (ConnectionState, IMethodSymbol)>(SymbolEqualityComparer.Default))[parameter] = (entry, wrapper);
            }
        }

        /// <summary>
        /// The states before every call of a local function, when all of them are known: each call is in a body analysed
        /// already (the method, its lambdas, the local functions before it) and the function is never used as a delegate
        /// or called from itself. Then a connection it captures starts as the calls leave it (a local function called
        /// only inside a transaction is in one); otherwise (null) captured connections are treated as received.
        /// </summary>
        private List<FlowState>? CallSiteStates(IMethodSymbol localFunction)
        {
            var states = new List<FlowState>();
            var declaration = localFunction.DeclaringSyntaxReferences.Length > 0 ? localFunction.DeclaringSyntaxReferences[0].Span : default;
            foreach (var operation in _model.Root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IMethodReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, localFunction.OriginalDefinition):
                        return null;
                    case IInvocationOperation call when SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, localFunction.OriginalDefinition):
                        if (declaration.Contains(call.Syntax.Span) || !_before.TryGetValue(call.Syntax, out var state))
                        {
                            return null;
                        }

                        states.Add(state);
                        break;
                }
            }

            return states.Count == 0 ? null : states;
        }

        /// <summary>A local or parameter of the local function itself (not captured from the method).</summary>
        private static bool DeclaredIn(ResourceKey key, SyntaxNode body)
        {
            if (key.Symbol is not ILocalSymbol and not IParameterSymbol)
            {
                return false;
            }

            foreach (var reference in key.Symbol.DeclaringSyntaxReferences)
            {
                if (body.Span.Contains(reference.Span))
                {
                    return true;
                }
            }

            return false;
        }

        private static ConnectionState AtCallSites(List<FlowState> callers, ResourceKey key)
        {
            var merged = callers[0][key];
            for (var i = 1; i < callers.Count; i++)
            {
                merged = ConnectionState.Merge(merged, callers[i][key]);
            }

            return merged;
        }

        /// <summary>
        /// A branch that leaves a try region runs its finally regions on the way (the disposal of a <c>using</c>
        /// transaction or connection, an explicit rollback in <c>finally</c>): their events apply, in order, before the
        /// state reaches the destination.
        /// </summary>
        private FlowState ThroughFinally(FlowState state, ControlFlowBranch? branch, List<FlowEvent>[] events)
        {
            if (branch is null || branch.FinallyRegions.IsEmpty)
            {
                return state;
            }

            foreach (var region in branch.FinallyRegions)
            {
                for (var ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal && ordinal < events.Length; ordinal++)
                {
                    foreach (var flowEvent in events[ordinal])
                    {
                        state = Apply(state, flowEvent);
                    }
                }
            }

            return state;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static bool Propagate(FlowState?[] inputs, BasicBlock? destination, FlowState state)
        {
            if (destination is null)
            {
                return false;
            }

            var current = inputs[destination.Ordinal];
            if (ReferenceEquals(current, state))
            {
                return false;
            }

            var merged = FlowState.Merge(current, state);
            if (merged.Equals(current))
            {
                return false;
            }

            inputs[destination.Ordinal] = merged;
            return true;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private FlowState Transfer(FlowState state, List<FlowEvent> events)
        {
            foreach (var flowEvent in events)
            {
                _before[flowEvent.Syntax] = state;
                state = Apply(state, flowEvent);
            }

            return state;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private FlowState Apply(FlowState state, FlowEvent flowEvent)
        {
            if (flowEvent.Kind == FlowEventKind.Escape)
            {
                return AfterCall(state, flowEvent);
            }

            var key = flowEvent.Connection;
            if (key is null)
            {
                return state;
            }

            if (flowEvent.Kind == FlowEventKind.Reassign)
            {
                return state.Without(key);
            }

            var current = state[key];
            switch (flowEvent.Kind)
            {
                case FlowEventKind.Execute:
                    var after = SiteSimulation.Apply(flowEvent.Site!, current, _options);
                    if (key.Kind == ResourceKind.DbContext && !after.Held && after.Transaction == TransactionState.None
                        && (after.Context is ContextState.Session or ContextState.TransactionLocal
                            || (after.Context == ContextState.Assumed && current.Transaction == TransactionState.None && SiteSql.SetsTenantSetting(flowEvent.Site!, _options))))
                    {
                        // Outside a transaction, EF Core opens the connection for the command and closes it afterwards:
                        // the pool resets what the method set on it. (A context the method receives may be inside the
                        // caller's transaction, which keeps the connection open: not known, so not assumed. One
                        // injected into a framework entry point is in none: what the method sets there is lost too.)
                        after = new ConnectionState(after.Transaction, ContextState.Expired, ExpiryReason.ConnectionClosed);
                    }

                    return state.With(key, after);
                case FlowEventKind.Open:
                    return state.With(key, current.Open());
                case FlowEventKind.BeginTransaction:
                    return state.With(key, current.With(TransactionState.Open));
                case FlowEventKind.Commit:
                case FlowEventKind.Rollback:
                    return state.With(key, current.EndTransaction(ExpiryReason.TransactionEnded));
                case FlowEventKind.Close:
                    return state.With(key, new ConnectionState(TransactionState.None, current.Context == ContextState.None ? ContextState.None : ContextState.Expired, ExpiryReason.ConnectionClosed));
                default:
                    return state;
            }
        }

        /// <summary>
        /// A call that hands connections to one of the project's methods: what its summary says it does to each (applies
        /// which settings, leaves the context alone, ends or begins a transaction); where that cannot be told, the method may apply the setting and
        /// the context is assumed from then on.
        /// </summary>
        private FlowState AfterCall(FlowState state, FlowEvent call)
        {
            var method = call.Invocation.TargetMethod;
            var summaries = _summaries;
            if (summaries.LeavesConnectionsAlone(method))
            {
                return state; // read from the callee's model alone: no need to run its flow
            }

            for (var i = 0; i < call.Escaped.Length; i++)
            {
                var escaped = call.Escaped[i];
                var before = state[escaped];
                var ordinal = call.EscapedOrdinals[i];
                var effect = ordinal >= 0 ? summaries.EffectOn(method, ordinal, _options) : ConnectionEffect.Unknown;
                switch (effect.Kind)
                {
                    case ConnectionEffectKind.AppliesSetting:
                    case ConnectionEffectKind.LeavesContext:
                        state = state.With(escaped, effect.ApplyTo(before));
                        break;
                    case ConnectionEffectKind.Unknown when !before.HasContext:
                        state = state.With(escaped, before.With(ContextState.Assumed));
                        break;
                }
            }

            return state;
        }

        /// <summary>
        /// On each side of a branch on <c>db.Database.CurrentTransaction</c>, whether the context is in a transaction is
        /// known: the code that begins one only where there is none (and applies a transaction-local setting after
        /// both) is in a transaction on every path.
        /// </summary>
        private FlowState Refine(FlowState state, BasicBlock block, bool conditional)
        {
            if (block.BranchValue is null || block.ConditionKind == ControlFlowConditionKind.None || _model.TransactionCheck(block.BranchValue) is not { } check)
            {
                return state;
            }

            // The conditional successor is taken when the branch value is (ConditionKind == WhenTrue).
            var valueWhenTaken = conditional == (block.ConditionKind == ControlFlowConditionKind.WhenTrue);
            var none = valueWhenTaken == check.NoTransactionWhenTrue;
            return state.With(check.Context, state[check.Context].With(none ? TransactionState.None : TransactionState.Open));
        }

        /// <summary>The events of a block in evaluation order (operands before the operation).</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private List<FlowEvent> CollectEvents(BasicBlock block, List<IFlowAnonymousFunctionOperation> nested)
        {
            var result = new List<FlowEvent>();
            foreach (var operation in block.Operations)
            {
                Visit(operation);
            }

            if (block.BranchValue is not null)
            {
                Visit(block.BranchValue);
            }

            return result;

            void Visit(IOperation operation)
            {
                if (operation is IFlowAnonymousFunctionOperation function)
                {
                    nested.Add(function);
                    return;
                }

                foreach (var child in operation.ChildOperations)
                {
                    Visit(child);
                }

                if (operation is IInvocationOperation call && _model.EventAt(call.Syntax) is { } flowEvent
                    && (flowEvent.Operation is IInvocationOperation invocation
                        ? invocation.TargetMethod.Equals(call.TargetMethod, SymbolEqualityComparer.Default)
                        : call.IsImplicit && call.TargetMethod.Name is "GetEnumerator" or "GetAsyncEnumerator"))
                {
                    result.Add(flowEvent);
                }
                else if (operation is IInvocationOperation { IsImplicit: true } implicitCall && _model.ImplicitDisposal(implicitCall) is { } disposal)
                {
                    result.Add(disposal);
                }
                else if (operation is IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } localCall)
                {
                    result.Add(new FlowEvent(FlowEventKind.LocalFunctionCall, localCall, null, null));
                }
                else if (operation is IInvocationOperation { TargetMethod: { MethodKind: MethodKind.Ordinary, DeclaringSyntaxReferences.Length: > 0 } } ownCall
                    && (_model.MayUseTransactions || _recordCalls))
                {
                    result.Add(new FlowEvent(FlowEventKind.Call, ownCall, null, null));
                }
                else if (_recordCallbacks && CallbackEntry.CallbackInvocation(operation, _model.Symbols) is { } callback)
                {
                    result.Add(new FlowEvent(FlowEventKind.Callback, callback, null, null));
                }
                else if (operation is ISimpleAssignmentOperation assignment && _model.Reassignment(assignment) is { } reassignment)
                {
                    result.Add(reassignment);
                }
            }
        }

        /// <summary>For each block inside a try region, the first blocks of the handlers (catch, filter, finally) it may throw into.</summary>
        private static List<int>[] HandlerEntries(ControlFlowGraph graph)
        {
            var result = new List<int>[graph.Blocks.Length];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = new List<int>();
                // A lambda's graph hangs inside its parent's regions: stop at this graph's root.
                for (var region = graph.Blocks[i].EnclosingRegion; region is not null && region != graph.Root; region = region.EnclosingRegion)
                {
                    if (region.Kind == ControlFlowRegionKind.Try && region.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch or ControlFlowRegionKind.TryAndFinally } parent)
                    {
                        foreach (var sibling in parent.NestedRegions)
                        {
                            if (sibling != region && sibling.FirstBlockOrdinal < graph.Blocks.Length)
                            {
                                result[i].Add(sibling.FirstBlockOrdinal);
                            }
                        }
                    }
                }
            }

            return result;
        }
    }
}
