using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// What a framework entry point's context starts with: whether a middleware of the project keeps a transaction open
    /// around the rest of the request's pipeline, and whether a helper of an entry point's class is called only from its
    /// entry points (or from helpers reached only from them) outside any transaction.
    /// </summary>
    internal sealed partial class MethodSummaries
    {
        /// <summary>How many helpers deep a chain from an entry point may go (entry point, A, B, C) and still be read.</summary>
        private const int MaxHelperDepth = 3;

        private readonly ConditionalWeakTable<TenantGuardOptions, System.Lazy<ImmutableHashSet<ITypeSymbol>>> _pipelineTransactions = new();
        private readonly ConditionalWeakTable<TenantGuardOptions, ConcurrentDictionary<IMethodSymbol, HelperCalls>> _entryCalls = new();
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _beginsTransactions = new(SymbolEqualityComparer.Default);

        [System.ThreadStatic]
        private static bool t_readingPipeline;

        [System.ThreadStatic]
        private static HashSet<IMethodSymbol>? t_reaching;

        [System.ThreadStatic]
        private static bool t_reachCut;

        /// <summary>
        /// Whether a middleware of the project calls the next step of the request pipeline while a transaction is open on
        /// an EF Core context of this type (<c>await using var tx = await db.Database.BeginTransactionAsync(); ... await
        /// _next(context); await tx.CommitAsync();</c>): then the request's controllers and handlers may run inside it.
        /// Read once per compilation and options, from the middlewares' <c>Invoke</c>/<c>InvokeAsync</c> methods.
        /// </summary>
        public bool InPipelineTransaction(ITypeSymbol context, TenantGuardOptions options)
        {
            if (t_readingPipeline)
            {
                return true; // asked while reading the middlewares themselves: not known yet, so not assumed closed
            }

            var types = _pipelineTransactions.GetValue(options, o => new System.Lazy<ImmutableHashSet<ITypeSymbol>>(() => ReadPipelineTransactions(o))).Value;
            return types.Contains(context.OriginalDefinition);
        }

        private ImmutableHashSet<ITypeSymbol> ReadPipelineTransactions(TenantGuardOptions options)
        {
            var result = ImmutableHashSet.CreateBuilder<ITypeSymbol>(SymbolEqualityComparer.Default);
            t_readingPipeline = true;
            try
            {
                foreach (var symbol in _symbols.Compilation.GetSymbolsWithName(name => name is "Invoke" or "InvokeAsync", SymbolFilter.Member))
                {
                    if (symbol is not IMethodSymbol method || EntryPoints.KindOf(method) != EntryPointKind.Request || !IsReadable(method)
                        || Model(method) is not { } model || model.Root is not IMethodBodyOperation body || !model.Has(FlowEventKind.NetworkCall))
                    {
                        continue;
                    }

                    AddPipelineTransactions(_flow.RunMiddleware(Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph.Create(body), model, this, options), model, null, result);
                }

                ReadInlineMiddlewares(options, result);
            }
            finally
            {
                t_readingPipeline = false;
            }

            return result.ToImmutable();
        }

        /// <summary>
        /// The context types on which a transaction may be open where the flow reaches a call of the pipeline's next step
        /// (inside <paramref name="within"/> when given).
        /// </summary>
        private static void AddPipelineTransactions(IFlowStates flow, MethodModel model, SyntaxNode? within, ImmutableHashSet<ITypeSymbol>.Builder result)
        {
            foreach (var flowEvent in model.Events)
            {
                if (flowEvent.Kind != FlowEventKind.NetworkCall || !MethodModel.IsPipelineNext(flowEvent.Invocation)
                    || (within is not null && !within.Span.Contains(flowEvent.Syntax.Span)) || flow.ConnectionsBefore(flowEvent.Syntax) is not { } connections)
                {
                    continue;
                }

                foreach (var pair in connections)
                {
                    if (pair.Key.Kind == ResourceKind.DbContext && pair.Value.TransactionMayBeOpen && OperationHelpers.TypeOf(pair.Key.Symbol) is { } type)
                    {
                        result.Add(type.OriginalDefinition);
                    }
                }
            }
        }

        /// <summary>
        /// Inline middlewares (<c>app.Use(async (context, next) =&gt; { ... await next(context); })</c>,
        /// <see cref="EntryPoints.IsInlineMiddleware"/>): the method that registers them (<c>Program</c>'s top-level
        /// statements, <c>Startup.Configure</c>) is run through the flow, lambdas included, and each middleware's calls of
        /// the next step are read as a middleware class's are. The calls are found by the name <c>Use</c>, then told by
        /// their symbols; each registering method is read once.
        /// </summary>
        private void ReadInlineMiddlewares(TenantGuardOptions options, ImmutableHashSet<ITypeSymbol>.Builder result)
        {
            var read = new HashSet<SyntaxNode>();
            foreach (var tree in _symbols.Compilation.SyntaxTrees)
            {
                SemanticModel? semanticModel = null;
                foreach (var node in tree.GetRoot(CancellationToken.None).DescendantNodes())
                {
                    if (node is not Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
                        {
                            Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Use" },
                        } invocation)
                    {
                        continue;
                    }

                    semanticModel ??= _semanticModels.For(tree);
                    if (semanticModel.GetOperation(invocation) is not IInvocationOperation call || !PassesMiddlewareLambda(call)
                        || RegisteringBody(semanticModel, invocation) is not { } registering)
                    {
                        continue;
                    }

                    if (!read.Add(registering.Syntax))
                    {
                        continue; // its flow, lambdas included, has been read for an earlier middleware
                    }

                    var model = Models.Build(registering, ImmutableHashSet<string>.Empty);
                    if (!model.Has(FlowEventKind.NetworkCall))
                    {
                        continue;
                    }

                    var graph = registering is IMethodBodyOperation method
                        ? Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph.Create(method)
                        : Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph.Create((IConstructorBodyOperation)registering);
                    var flow = _flow.RunMiddleware(graph, model, this, options);
                    foreach (var inner in registering.DescendantsAndSelf())
                    {
                        if (inner is IAnonymousFunctionOperation candidate && EntryPoints.IsInlineMiddleware(candidate))
                        {
                            AddPipelineTransactions(flow, model, candidate.Syntax, result);
                        }
                    }
                }
            }
        }

        private static bool PassesMiddlewareLambda(IInvocationOperation call)
        {
            foreach (var argument in call.Arguments)
            {
                var value = argument.Value;
                while (value is IDelegateCreationOperation or IConversionOperation)
                {
                    value = value is IDelegateCreationOperation creation ? creation.Target : ((IConversionOperation)value).Operand;
                }

                if (value is IAnonymousFunctionOperation lambda && EntryPoints.IsInlineMiddleware(lambda))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The body of the method (or constructor, or top-level statements) a call is written in, outside any lambda.</summary>
        private static IOperation? RegisteringBody(SemanticModel semanticModel, SyntaxNode syntax)
        {
            var symbol = semanticModel.GetEnclosingSymbol(syntax.SpanStart, CancellationToken.None);
            while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
            {
                symbol = symbol.ContainingSymbol;
            }

            if (symbol is not IMethodSymbol method || method.DeclaringSyntaxReferences.Length != 1
                || method.DeclaringSyntaxReferences[0].SyntaxTree != semanticModel.SyntaxTree)
            {
                return null;
            }

            return semanticModel.GetOperation(method.DeclaringSyntaxReferences[0].GetSyntax(CancellationToken.None), CancellationToken.None) is { } body
                && body.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody
                ? body
                : null;
        }

        /// <summary>
        /// Whether a private or internal helper of an entry point's class is called only by that class's framework entry
        /// points (<see cref="EntryPoints.KindOf"/>: actions, <c>InvokeAsync</c>, ...) or by other helpers of the class that
        /// are themselves reached only from them, directly and on the same instance, and at every such call no
        /// transaction is open on the EF Core context <paramref name="context"/> (a field or property of the class or a
        /// primary constructor's parameter, or a parameter of the helper and then the argument each call passes), as the
        /// caller's own flow says (a calling helper's flow starts from what its callers leave, see
        /// <see cref="EntryCallsOf"/>). Every use of the helper in the compilation (its class's files for a private one)
        /// must be such a call, and the callers must call nothing of the project before it that may begin a transaction
        /// (which the flow cannot see on a field). Anything else, or no call at all: false, and the helper stays the
        /// caller's.
        /// </summary>
        public bool CalledOutsideTransactions(IMethodSymbol helper, ISymbol context, TenantGuardOptions options)
        {
            var calls = EntryCallsOf(helper, options).Calls;
            if (calls.IsDefaultOrEmpty)
            {
                return false;
            }

            foreach (var call in calls)
            {
                ResourceKey? key;
                if (context is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, helper))
                {
                    key = null;
                    foreach (var argument in call.Call.Arguments)
                    {
                        if (argument.Parameter?.Ordinal == parameter.Ordinal && argument.ArgumentKind == ArgumentKind.Explicit && IsInjected(argument.Value))
                        {
                            key = call.Model.KeyOf(argument.Value);
                        }
                    }
                }
                else
                {
                    key = ResourceKey.For(context, ResourceKind.DbContext);
                }

                if (key is null || key.Kind != ResourceKind.DbContext || call.Flow.StateBefore(call.Call.Syntax, key) is not { } state
                    || state.Transaction != TransactionState.None)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// What an entry point's framework gives it: a parameter of its own, or a field or property of its instance (not
        /// a static member, not a member of another object).
        /// </summary>
        private static bool IsInjected(IOperation value)
        {
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            return value switch
            {
                IParameterReferenceOperation parameter => parameter.Parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary },
                IFieldReferenceOperation { Field.IsStatic: false, Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } => true,
                IPropertyReferenceOperation { Property.IsStatic: false, Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } => true,
                _ => false,
            };
        }

        /// <summary>
        /// The calls of a helper by entry points and qualifying helpers, and how many helpers deep it is (1 when only
        /// entry points call it, one more than its deepest calling helper otherwise).
        /// </summary>
        private readonly struct HelperCalls
        {
            public static readonly HelperCalls None = new(ImmutableArray<EntryCall>.Empty, 0);

            public HelperCalls(ImmutableArray<EntryCall> calls, int depth)
            {
                Calls = calls;
                Depth = depth;
            }

            public ImmutableArray<EntryCall> Calls { get; }

            public int Depth { get; }
        }

        /// <summary>A call of a helper by an entry point of its class (or a helper reached from them), with the caller's model and flow.</summary>
        private readonly struct EntryCall
        {
            public EntryCall(IInvocationOperation call, MethodModel model, IFlowStates flow)
            {
                Call = call;
                Model = model;
                Flow = flow;
            }

            public IInvocationOperation Call { get; }

            public MethodModel Model { get; }

            public IFlowStates Flow { get; }
        }

        /// <summary>
        /// The calls of a helper by its class's entry points and by its other helpers that qualify themselves (see
        /// <see cref="ComputeEntryCalls"/>), once per helper and options. A caller that is a helper is read through its own
        /// flow, which asks the same of it. A helper is as deep as its longest chain of calling helpers (with itself); one
        /// deeper than <see cref="MaxHelperDepth"/>, or one met again while its own calls are read (a recursion), gives
        /// no calls, so the helper that asked stays the caller's. A result reached through such a cut of the chain
        /// being read depends on where that chain was entered: only the outermost one (read from the helper itself) is
        /// kept, the others are read again when asked.
        /// The summaries the callers' flows ask for are read from the top (not as deeper calls of the helper's summary),
        /// as they are when the rules run those methods.
        /// </summary>
        private HelperCalls EntryCallsOf(IMethodSymbol helper, TenantGuardOptions options)
        {
            helper = helper.OriginalDefinition;
            if (!IsReadable(helper))
            {
                return HelperCalls.None;
            }

            var cache = _entryCalls.GetValue(options, _ => new ConcurrentDictionary<IMethodSymbol, HelperCalls>(SymbolEqualityComparer.Default));
            if (cache.TryGetValue(helper, out var known))
            {
                return known;
            }

            var reaching = t_reaching ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            if (reaching.Count >= MaxHelperDepth || reaching.Contains(helper))
            {
                t_reachCut = true;
                return HelperCalls.None;
            }

            var outermost = reaching.Count == 0;
            var cutBefore = t_reachCut;
            var summaries = t_inProgress;
            t_reachCut = false;
            t_inProgress = null;
            reaching.Add(helper);
            HelperCalls calls;
            bool cut;
            try
            {
                calls = ComputeEntryCalls(helper, options);
            }
            finally
            {
                reaching.Remove(helper);
                t_inProgress = summaries;
                cut = t_reachCut;
                t_reachCut = cutBefore || cut;
            }

            return outermost || !cut ? cache.GetOrAdd(helper, calls) : calls;
        }

        private HelperCalls ComputeEntryCalls(IMethodSymbol helper, TenantGuardOptions options)
        {
            var type = helper.ContainingType;
            if (helper.DeclaredAccessibility is not (Accessibility.Private or Accessibility.Internal) || type is null
                || EntryPoints.KindOf(helper) != EntryPointKind.None || !HasEntryPoint(type))
            {
                return HelperCalls.None;
            }

            // Where the helper can be used: its class's declarations when private, every file when internal.
            var places = new List<SyntaxNode>();
            if (helper.DeclaredAccessibility == Accessibility.Private)
            {
                foreach (var reference in type.DeclaringSyntaxReferences)
                {
                    places.Add(reference.GetSyntax(CancellationToken.None));
                }
            }
            else
            {
                foreach (var tree in _symbols.Compilation.SyntaxTrees)
                {
                    places.Add(tree.GetRoot(CancellationToken.None));
                }
            }

            var result = ImmutableArray.CreateBuilder<EntryCall>();
            var depth = 1;
            var flows = new Dictionary<IMethodSymbol, (MethodModel Model, IFlowStates Flow)>(SymbolEqualityComparer.Default);
            foreach (var place in places)
            {
                foreach (var node in place.DescendantNodes())
                {
                    if (node is not Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax name || name.Identifier.ValueText != helper.Name)
                    {
                        continue;
                    }

                    var semanticModel = _semanticModels.For(name.SyntaxTree);
                    if (!RefersTo(semanticModel.GetSymbolInfo(name, CancellationToken.None), helper))
                    {
                        continue; // another symbol of that name
                    }

                    // Only a direct call (Apply(...), this.Apply(...)) in an entry point of the class, outside its lambdas.
                    SyntaxNode use = name.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                    if (use.Parent is not Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax invocation || invocation.Expression != use
                        || semanticModel.GetOperation(invocation, CancellationToken.None) is not IInvocationOperation call
                        || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, helper.OriginalDefinition)
                        || (!helper.IsStatic && call.Instance is not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
                        || semanticModel.GetEnclosingSymbol(invocation.SpanStart, CancellationToken.None) is not IMethodSymbol { MethodKind: MethodKind.Ordinary } caller
                        || !SymbolEqualityComparer.Default.Equals(caller.ContainingType?.OriginalDefinition, type.OriginalDefinition)
                        || SymbolEqualityComparer.Default.Equals(caller.OriginalDefinition, helper.OriginalDefinition)
                        || (EntryPoints.KindOf(caller) == EntryPointKind.None && !MayBeReachedFromEntryPoints(caller)))
                    {
                        return HelperCalls.None;
                    }

                    if (EntryPoints.KindOf(caller) == EntryPointKind.None)
                    {
                        // A helper: reached only from entry points itself, and not too deep.
                        var callerDepth = EntryCallsOf(caller, options);
                        if (callerDepth.Calls.IsDefaultOrEmpty || callerDepth.Depth >= MaxHelperDepth)
                        {
                            return HelperCalls.None;
                        }

                        depth = System.Math.Max(depth, callerDepth.Depth + 1);
                    }

                    if (!flows.TryGetValue(caller, out var entry))
                    {
                        if (ReadableModelOf(caller) is not { Root: IMethodBodyOperation body } model)
                        {
                            return HelperCalls.None;
                        }

                        var flow = _flow.RunRecordingCalls(Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph.Create(body), model, this, options);
                        flows[caller] = entry = (model, flow);
                    }

                    if (CallAt(entry.Model, invocation) is not { } own || MayBeginTransactionBefore(entry.Model, own))
                    {
                        return HelperCalls.None;
                    }

                    result.Add(new EntryCall(own, entry.Model, entry.Flow));
                }
            }

            return new HelperCalls(result.ToImmutable(), depth);
        }

        /// <summary>
        /// A caller that is no entry point but may itself be a helper reached only from them (a private or internal method
        /// of the same class): its flow, which starts from what its own callers leave, says whether a transaction is open
        /// at its call.
        /// </summary>
        private static bool MayBeReachedFromEntryPoints(IMethodSymbol caller) =>
            caller.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal && caller.MethodKind == MethodKind.Ordinary;

        private static bool RefersTo(SymbolInfo info, IMethodSymbol method)
        {
            if (info.Symbol is { } symbol)
            {
                return SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, method.OriginalDefinition);
            }

            foreach (var candidate in info.CandidateSymbols)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, method.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasEntryPoint(INamedTypeSymbol type)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && EntryPoints.KindOf(method) != EntryPointKind.None)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The call at this syntax in the model's own operation tree.</summary>
        private static IInvocationOperation? CallAt(MethodModel model, SyntaxNode syntax)
        {
            foreach (var operation in OperationHelpers.DescendantsInBody(model.Root))
            {
                if (operation is IInvocationOperation call && call.Syntax == syntax)
                {
                    return call;
                }
            }

            return null;
        }

        /// <summary>
        /// Whether the entry point calls, before its call of the helper (anywhere in it when that call is in a loop),
        /// anything that may begin a transaction out of the flow's sight (see <see cref="MayBeginTransactionThroughCalls"/>).
        /// </summary>
        private bool MayBeginTransactionBefore(MethodModel model, IInvocationOperation helperCall)
        {
            var inLoop = false;
            for (var parent = helperCall.Parent; parent is not null; parent = parent.Parent)
            {
                inLoop |= parent is ILoopOperation;
            }

            foreach (var operation in model.Root.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation call && call != helperCall && (inLoop || call.Syntax.SpanStart < helperCall.Syntax.SpanStart)
                    && !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, helperCall.TargetMethod.OriginalDefinition)
                    && MayBeginTransaction(call.TargetMethod))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether a method calls anything (other than <paramref name="helper"/>) that may begin a transaction out of the
        /// flow's sight: one of the project's methods that begins one (directly or through the project's methods it
        /// calls, interface calls through their implementations), a method of another assembly that is not a framework
        /// or data-access library, or a delegate.
        /// </summary>
        private bool MayBeginTransactionThroughCalls(MethodModel model, IMethodSymbol helper)
        {
            foreach (var operation in model.Root.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation call && !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, helper.OriginalDefinition)
                    && MayBeginTransaction(call.TargetMethod))
                {
                    return true;
                }
            }

            return false;
        }

        private bool MayBeginTransaction(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            if (method.MethodKind == MethodKind.DelegateInvoke)
            {
                return true;
            }

            if (method.DeclaringSyntaxReferences.Length == 0)
            {
                // Another assembly: the framework, the BCL and the data-access libraries begin nothing the model does not
                // see as an event of the method itself; any other library might (a unit of work, a mediator).
                return !MethodModel.IsLibraryMethod(method);
            }

            if (method.ContainingType?.TypeKind == TypeKind.Interface || method.IsAbstract)
            {
                foreach (var implementation in ImplementationsOf(method))
                {
                    if (MayBeginTransaction(implementation))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction)
            {
                return false; // read as part of the method that holds it
            }

            return Summarize(_beginsTransactions, method, m => Model(m) is { } model && (model.MayUseTransactions || MayBeginTransactionThroughCalls(model, m)), unknown: true);
        }
    }
}
