using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>
    /// The shared model of one operation block: its execution sites and events, and (computed on first use) the
    /// tenant-context flow over its control-flow graph. Built once per block and shared by all TenantGuard rules.
    /// </summary>
    internal sealed class MethodAnalysis
    {
        [ThreadStatic]
        private static WeakReference<IOperation>? t_lastIrrelevant;

        /// <summary>The last block a thread found relevant, with its analysis (weak, as above).</summary>
        [ThreadStatic]
        private static WeakReference<MethodAnalysis>? t_last;

        // Computed on first use (most blocks need none of them), published with LazyInitializer (first value wins; a race
        // computes one twice, the same value): no lock, no Lazy and no delegate per block until a rule asks.
        private TenantContextFlow? _flow;
        private StrongBox<ImmutableArray<AbortedTransactionReuse>>? _abortedReuses;
        private List<ExecutionSite>? _helperSites;

        /// <summary>The context of the rule that built the analysis, for the block's control-flow graph (<see cref="Graph"/>).</summary>
        private readonly OperationBlockAnalysisContext _context;

        private MethodAnalysis(OperationBlockAnalysisContext context, IOperation block, AnalysisEnvironment environment, List<IOperation> operations)
        {
            _context = context;
            Block = block;
            Environment = environment;
            Options = environment.OptionsFor(context.Options, block.Syntax.SyntaxTree);
            Summaries = environment.Summaries!;
            Model = Summaries.Models.Build(block, Options.NetworkTypes, operations);
        }

        public IOperation Block { get; }

        public AnalysisEnvironment Environment { get; }

        /// <summary>The data-access types (never null here: without them no rule runs).</summary>
        public DataAccessSymbols Symbols => Environment.Symbols!;

        public TenantGuardOptions Options { get; }

        /// <summary>What the project's own methods do (never null here: they come with the data-access types).</summary>
        public MethodSummaries Summaries { get; }

        public MethodModel Model { get; }

        /// <summary>The flow over the block's control-flow graph (and those of its lambdas and local functions).</summary>
        public TenantContextFlow Flow =>
            Volatile.Read(ref _flow) ?? LazyInitializer.EnsureInitialized(ref _flow, () => TenantContextFlow.Run(Graph(), Model, Summaries, Options))!;

        /// <summary>
        /// Calls that hand a connection to one of the project's methods which runs tenant-scoped SQL on it, counting on
        /// the caller's setting (<see cref="Analyzers.Flow.HelperSites"/>); only TG1001 asks.
        /// </summary>
        public IReadOnlyList<ExecutionSite> HelperSites =>
            Volatile.Read(ref _helperSites) ?? LazyInitializer.EnsureInitialized(ref _helperSites, () => Analyzers.Flow.HelperSites.Of(Model, Summaries, Options))!;

        /// <summary>The catch clauses after which an aborted transaction is used again (TG1004; TG1003 leaves them to it).</summary>
        public ImmutableArray<AbortedTransactionReuse> AbortedReuses =>
            (Volatile.Read(ref _abortedReuses)
                ?? LazyInitializer.EnsureInitialized(ref _abortedReuses, () => new StrongBox<ImmutableArray<AbortedTransactionReuse>>(AbortedTransactions.Find(Model, () => Flow)))!).Value;

        /// <summary>The analysis of a block, or null when the block touches no data access.</summary>
        /// <param name="root">Its root: the whole method body, constructor body or initializer.</param>
        public static MethodAnalysis? Get(OperationBlockAnalysisContext context, IOperation root, AnalysisEnvironment environment)
        {
            // The driver runs every rule's action for one block on the same thread, one after the other: the first finds
            // the block irrelevant or builds its analysis, and the others find it here. No table shared by the threads:
            // adding to one (a ConditionalWeakTable) made the threads wait on its lock, and each analysis dies with its
            // block. (Weak: the block's operations hold its compilation.)
            if (t_lastIrrelevant is { } irrelevant && irrelevant.TryGetTarget(out var lastRoot) && lastRoot == root)
            {
                return null;
            }

            if (t_last is { } last && last.TryGetTarget(out var lastAnalysis) && lastAnalysis.Block == root)
            {
                return lastAnalysis;
            }

            // One walk decides for most blocks, and lists the operations of the rest for their model.
            if (MethodModel.OperationsIfDataAccess(root, environment.Symbols!) is not { } operations)
            {
                (t_lastIrrelevant ??= new WeakReference<IOperation>(root)).SetTarget(root);
                return null;
            }

            var analysis = new MethodAnalysis(context, root, environment, operations);
            (t_last ??= new WeakReference<MethodAnalysis>(analysis)).SetTarget(analysis);
            return analysis;
        }

        /// <summary>
        /// The control-flow graph of the block's root (<see cref="IsAnalyzableRoot"/>), through the analysis context where
        /// one of its blocks has this root: the compiler builds a root's graph once for every analyzer that asks. Asked
        /// only when a rule first needs the flow, so that a block without one costs nothing here.
        /// </summary>
        private ControlFlowGraph Graph()
        {
            foreach (var contextBlock in _context.OperationBlocks)
            {
                if (RootOf(contextBlock) == Block)
                {
                    return _context.GetControlFlowGraph(contextBlock);
                }
            }

            return Block switch
            {
                IMethodBodyOperation body => ControlFlowGraph.Create(body),
                IConstructorBodyOperation body => ControlFlowGraph.Create(body),
                IBlockOperation body => ControlFlowGraph.Create(body),
                IFieldInitializerOperation initializer => ControlFlowGraph.Create(initializer),
                IPropertyInitializerOperation initializer => ControlFlowGraph.Create(initializer),
                _ => throw new ArgumentException("not the root of a method body or initializer", nameof(Block)),
            };
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
