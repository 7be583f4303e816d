using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>
    /// The shared model of one operation block: its execution sites and events, and (computed on first use) the
    /// tenant-context flow over its control-flow graph. Built once per block and shared by all TenantGuard rules.
    /// </summary>
    internal sealed class MethodAnalysis
    {
        // Lazy: the rules run concurrently on the same block, and ConditionalWeakTable runs a factory outside its lock;
        // one Lazy wins the table and every rule waits for its one build instead of building its own.
        private static readonly ConditionalWeakTable<IOperation, Lazy<MethodAnalysis?>> Cache = new();

        /// <summary>The entry of every block that touches no data access (most of a project): no model, nothing to run.</summary>
        private static readonly Lazy<MethodAnalysis?> Irrelevant = new(() => null);

        [ThreadStatic]
        private static WeakReference<IOperation>? t_lastIrrelevant;

        private readonly OperationBlockAnalysisContext _context;
        private readonly Lazy<TenantContextFlow> _flow;
        private readonly Lazy<ImmutableArray<AbortedTransactionReuse>> _abortedReuses;
        private readonly Lazy<List<ExecutionSite>> _helperSites;

        private readonly IOperation _operationBlock;

        private MethodAnalysis(OperationBlockAnalysisContext context, IOperation operationBlock, IOperation block, AnalysisEnvironment environment)
        {
            _context = context;
            _operationBlock = operationBlock;
            Block = block;
            Environment = environment;
            Options = environment.OptionsFor(context.Options, block.Syntax.SyntaxTree);
            Model = MethodModel.Build(block, environment.Symbols!, Options.NetworkTypes);
            _flow = new Lazy<TenantContextFlow>(() => TenantContextFlow.Run(_context.GetControlFlowGraph(_operationBlock), Model, Options), LazyThreadSafetyMode.ExecutionAndPublication);
            _abortedReuses = new Lazy<ImmutableArray<AbortedTransactionReuse>>(() => AbortedTransactions.Find(this), LazyThreadSafetyMode.ExecutionAndPublication);
            _helperSites = new Lazy<List<ExecutionSite>>(() => Analyzers.Flow.HelperSites.Of(Model, Options), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public IOperation Block { get; }

        public AnalysisEnvironment Environment { get; }

        /// <summary>The data-access types (never null here: without them no rule runs).</summary>
        public DataAccessSymbols Symbols => Environment.Symbols!;

        public TenantGuardOptions Options { get; }

        public MethodModel Model { get; }

        /// <summary>The flow over the block's control-flow graph (and those of its lambdas and local functions).</summary>
        public TenantContextFlow Flow => _flow.Value;

        /// <summary>
        /// Calls that hand a connection to one of the project's methods which runs tenant-scoped SQL on it, counting on
        /// the caller's setting (<see cref="Analyzers.Flow.HelperSites"/>); only TG1001 asks.
        /// </summary>
        public IReadOnlyList<ExecutionSite> HelperSites => _helperSites.Value;

        /// <summary>The catch clauses after which an aborted transaction is used again (TG1004; TG1003 leaves them to it).</summary>
        public ImmutableArray<AbortedTransactionReuse> AbortedReuses => _abortedReuses.Value;

        /// <summary>The analysis of a block, or null when the block touches no data access.</summary>
        /// <param name="operationBlock">One of the context's operation blocks (to ask the driver for its cached graph).</param>
        /// <param name="root">Its root: the whole method body, constructor body or initializer.</param>
        public static MethodAnalysis? Get(OperationBlockAnalysisContext context, IOperation operationBlock, IOperation root, AnalysisEnvironment environment)
        {
            // The driver runs every rule's action for one block on the same thread, one after the other: the first finds
            // most blocks irrelevant, and the others see that here without a table lookup. (Weak: the block's operations
            // hold its compilation.)
            if (t_lastIrrelevant is { } last && last.TryGetTarget(out var lastRoot) && lastRoot == root)
            {
                return null;
            }

            if (Cache.TryGetValue(root, out var cached))
            {
                return cached.Value;
            }

            // One walk that allocates nothing decides for most blocks; only the rest pay for a model.
            var entry = MethodModel.TouchesDataAccess(root, environment.Symbols!)
                ? new Lazy<MethodAnalysis?>(() => new MethodAnalysis(context, operationBlock, root, environment), LazyThreadSafetyMode.ExecutionAndPublication)
                : Irrelevant;
            if (entry == Irrelevant)
            {
                (t_lastIrrelevant ??= new WeakReference<IOperation>(root)).SetTarget(root);
            }

            return Cache.GetValue(root, _ => entry).Value;
        }

        /// <summary>The root of an operation block: the whole method body, constructor body or initializer.</summary>
        public static IOperation RootOf(IOperation operation)
        {
            while (operation.Parent is not null)
            {
                operation = operation.Parent;
            }

            return operation;
        }

        /// <summary>Whether a root operation block has a control-flow graph (method, constructor or initializer bodies).</summary>
        public static bool IsAnalyzableRoot(IOperation block) =>
            block.Parent is null
            && block.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
                or OperationKind.FieldInitializer or OperationKind.PropertyInitializer;
    }
}
