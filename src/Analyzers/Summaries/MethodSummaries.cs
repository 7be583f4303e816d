using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sites;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// What the project's own methods do, read from their bodies on demand and kept for the compilation:
    /// <list type="bullet">
    /// <item>whether a method hands out a fresh connection that carries no tenant setting (a connection factory such as
    /// <c>Task&lt;NpgsqlConnection&gt; OpenAsync() =&gt; _dataSource.OpenConnectionAsync()</c>): a caller's connection from
    /// it is fresh, not "received", and TG1001 and TG1007 apply to it;</item>
    /// <item>whether a method leaves a connection it is given alone (no setting, transaction, close or unknown SQL);</item>
    /// <item>what it does to the tenant context of a connection parameter (<see cref="ConnectionEffect"/>: applies which
    /// settings, leaves it, or runs tenant-scoped SQL that counts on the caller's setting);</item>
    /// <item>the SQL text it writes into a command it is given;</item>
    /// <item>the state of the connections it hands to a delegate parameter it invokes (a with-tenant wrapper's callback).</item>
    /// </list>
    /// Interface, abstract and virtual methods, methods of other assemblies, and whatever lies deeper than
    /// <see cref="MaxDepth"/> calls or in a recursion stay unknown: the connection is treated as received (see
    /// <c>tenantguard.assume_context_on_parameters</c>).
    /// The summaries that need the flow over a callee's body run it through <see cref="ICalleeFlow"/>, which the flow
    /// implements and the composition root (<c>Infrastructure/AnalysisEnvironment</c>) hands in; the models they read are
    /// built by their own <see cref="Models"/>, through which the walk asks them what a callee does (<see cref="ICalleeSummaries"/>).
    /// </summary>
    internal sealed partial class MethodSummaries : ICalleeSummaries
    {
        private const int MaxDepth = 3;

        private readonly DataAccessSymbols _symbols;
        private readonly ICalleeFlow _flow;
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _freshFactories = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _inert = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyDictionary<int, SqlSource>?> _writtenText = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, SqlSource?> _returnedText = new(SymbolEqualityComparer.Default);
        private readonly ConditionalWeakTable<TenantGuardOptions, ConcurrentDictionary<IMethodSymbol, ImmutableArray<ConnectionEffect>>> _effects = new();
        private readonly ConditionalWeakTable<TenantGuardOptions, ConcurrentDictionary<IMethodSymbol, ImmutableDictionary<(int Parameter, int Argument), ConnectionState>>> _callbackEntries = new();
        private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _bodies = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, MethodModel?> _models = new(SymbolEqualityComparer.Default);
        private readonly CalleeSemanticModels _semanticModels;

        [System.ThreadStatic]
        private static HashSet<IMethodSymbol>? t_inProgress;

        /// <param name="recognizers">The recognizers of execution sites the models of the methods read are built with.</param>
        /// <param name="flow">The flow, run over a callee's body where a summary needs it.</param>
        public MethodSummaries(DataAccessSymbols symbols, ImmutableArray<ISiteRecognizer> recognizers, ICalleeFlow flow)
        {
            _symbols = symbols;
            _flow = flow;
            _semanticModels = new CalleeSemanticModels(symbols.Compilation);
            Models = new ModelBuilder(symbols, this, recognizers);
        }

        /// <summary>Builds the models of this compilation's methods, with these summaries answering what their callees do.</summary>
        public ModelBuilder Models { get; }

        /// <summary>
        /// Whether a call to this method returns a connection (or EF Core context) it created (or opened from a data
        /// source, or took from an <c>IDbContextFactory</c>) and set nothing on.
        /// </summary>
        public bool ReturnsFreshConnection(IMethodSymbol method) =>
            (_symbols.IsConnection(OperationHelpers.UnwrapTask(method.ReturnType)) || _symbols.IsDbContext(OperationHelpers.UnwrapTask(method.ReturnType)))
            && Summarize(_freshFactories, method, Compute, unknown: false);

        /// <summary>
        /// Whether a method the caller hands a connection (or transaction, or DbContext) to leaves it as it was: it is the
        /// project's own, readable method, and nothing in it begins, ends, opens or closes anything, applies a setting,
        /// runs SQL that cannot be read, or hands the connection on to a method that might. A call to it does not count as
        /// the place where the tenant may have been applied.
        /// </summary>
        public bool LeavesConnectionsAlone(IMethodSymbol method) => Summarize(_inert, method, ComputeInert, unknown: false);

        /// <summary>
        /// What a method does to the tenant context of the connection (or DbContext) it receives as parameter
        /// <paramref name="ordinal"/> (<see cref="ConnectionEffect"/>), under the options of the caller's file.
        /// </summary>
        public ConnectionEffect EffectOn(IMethodSymbol method, int ordinal, TenantGuardOptions options)
        {
            var effects = Summarize(
                _effects.GetValue(options, _ => new ConcurrentDictionary<IMethodSymbol, ImmutableArray<ConnectionEffect>>(SymbolEqualityComparer.Default)),
                method,
                m => Model(m) is { } model ? _flow.EffectsOf(m, model, this, options) : ImmutableArray<ConnectionEffect>.Empty,
                unknown: ImmutableArray<ConnectionEffect>.Empty);
            return ordinal >= 0 && ordinal < effects.Length ? effects[ordinal] : ConnectionEffect.Unknown;
        }

        /// <summary>
        /// The state of the connection (or EF Core context) a with-tenant wrapper hands to its delegate parameter
        /// <paramref name="parameter"/> as argument <paramref name="argument"/> when it invokes it (<see cref="ICalleeFlow.CallbackEntriesOf"/>),
        /// under the options of the caller's file; null when not known.
        /// </summary>
        public ConnectionState? StateAtCallback(IMethodSymbol wrapper, int parameter, int argument, TenantGuardOptions options)
        {
            var entries = Summarize(
                _callbackEntries.GetValue(options, _ => new ConcurrentDictionary<IMethodSymbol, ImmutableDictionary<(int Parameter, int Argument), ConnectionState>>(SymbolEqualityComparer.Default)),
                wrapper,
                m => Model(m) is { } model ? _flow.CallbackEntriesOf(m, model, this, options) : ImmutableDictionary<(int Parameter, int Argument), ConnectionState>.Empty,
                unknown: ImmutableDictionary<(int Parameter, int Argument), ConnectionState>.Empty);
            return entries.TryGetValue((parameter, argument), out var state) ? state : null;
        }

        private bool ComputeInert(IMethodSymbol method)
        {
            if (Model(method) is not { } model)
            {
                return false;
            }

            foreach (var site in model.Sites)
            {
                if (site.Sql is null || HasSetting(site) || ControlsTransactions(site))
                {
                    return false;
                }
            }

            foreach (var kind in StateChanges)
            {
                if (model.Has(kind))
                {
                    return false;
                }
            }

            return !HandsOnToUnknown(model);
        }

        /// <summary>
        /// The SQL text a helper writes into the command it receives as parameter <paramref name="ordinal"/>
        /// (<c>void PrepareCommand(DbCommand cmd, Tenant t) =&gt; cmd.CommandText = $"SET app.current_tenant = '{t.Name}'"</c>),
        /// when it writes it exactly once; null otherwise. Its map points into the helper.
        /// </summary>
        public SqlSource? CommandTextWrittenBy(IMethodSymbol method, int ordinal) =>
            Summarize(_writtenText, method, ComputeWrittenText, unknown: null)?.TryGetValue(ordinal, out var text) == true ? text : null;

        /// <summary>
        /// The SQL text of the command a method creates and returns (<c>DbCommand CreateCommand(DbConnection c) { var cmd =
        /// c.CreateCommand(); cmd.CommandText = "..."; return cmd; }</c>), when it has one return and its text is known
        /// there; null otherwise. Its map points into the method.
        /// </summary>
        public SqlSource? CommandTextReturnedBy(IMethodSymbol method) =>
            _symbols.IsCommand(OperationHelpers.UnwrapTask(method.ReturnType)) ? Summarize(_returnedText, method, ComputeReturnedText, unknown: null) : null;

        private SqlSource? ComputeReturnedText(IMethodSymbol method)
        {
            if (Model(method) is not { } model)
            {
                return null;
            }

            IReturnOperation? only = null;
            foreach (var operation in OperationHelpers.DescendantsInBody(model.Root))
            {
                if (operation is IReturnOperation { ReturnedValue: not null } returned)
                {
                    if (only is not null)
                    {
                        return null; // several returns: which text is not one thing
                    }

                    only = returned;
                }
            }

            return only is null ? null : AdoNetSites.CommandTextAt(model, only.ReturnedValue!, only.Syntax.SpanStart);
        }

        /// <summary>
        /// A summary of one of the project's own methods that TenantGuard can read (an ordinary, non-virtual method with
        /// one declaration, not an interface member), computed once per compilation; <paramref name="unknown"/> for any
        /// other method, and while following a recursion or more than <see cref="MaxDepth"/> calls deep.
        /// </summary>
        private T Summarize<T>(ConcurrentDictionary<IMethodSymbol, T> cache, IMethodSymbol method, System.Func<IMethodSymbol, T> compute, T unknown)
        {
            method = method.OriginalDefinition;
            if (!IsReadable(method))
            {
                return unknown;
            }

            if (cache.TryGetValue(method, out var known))
            {
                return known;
            }

            var inProgress = t_inProgress ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            if (inProgress.Count >= MaxDepth || !inProgress.Add(method))
            {
                return unknown;
            }

            try
            {
                return cache.GetOrAdd(method, compute(method));
            }
            finally
            {
                inProgress.Remove(method);
            }
        }

        /// <summary>An ordinary, non-virtual method with one declaration in this compilation's trees, not an interface member.</summary>
        private bool IsReadable(IMethodSymbol method) =>
            method.MethodKind == MethodKind.Ordinary && !method.IsAbstract && !method.IsVirtual && method.ContainingType?.TypeKind != TypeKind.Interface
            && method.DeclaringSyntaxReferences.Length == 1
            // A method of another project that the IDE (or a workspace) references as a compilation, not as metadata:
            // its tree is not this compilation's, and it is read like any other assembly's.
            && _symbols.Compilation.ContainsSyntaxTree(method.DeclaringSyntaxReferences[0].SyntaxTree);

        private IReadOnlyDictionary<int, SqlSource>? ComputeWrittenText(IMethodSymbol method)
        {
            var result = new Dictionary<int, SqlSource>();
            if (Model(method) is not { } model)
            {
                return result;
            }

            var writes = new Dictionary<int, List<IOperation>>();
            foreach (var operation in OperationHelpers.DescendantsInBody(model.Root))
            {
                if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CommandText", Instance: IParameterReferenceOperation parameter } } assignment
                    && _symbols.IsCommand(parameter.Type))
                {
                    if (!writes.TryGetValue(parameter.Parameter.Ordinal, out var list))
                    {
                        writes[parameter.Parameter.Ordinal] = list = new List<IOperation>();
                    }

                    list.Add(assignment.Value);
                }
            }

            foreach (var pair in writes)
            {
                if (pair.Value.Count == 1 && SqlTextResolver.Resolve(pair.Value[0], model, bound: false) is { } text)
                {
                    result[pair.Key] = text;
                }
            }

            return result;
        }

        private static readonly FlowEventKind[] StateChanges =
        {
            FlowEventKind.BeginTransaction, FlowEventKind.Commit, FlowEventKind.Rollback, FlowEventKind.RollbackToSavepoint,
            FlowEventKind.Save, FlowEventKind.Release, FlowEventKind.Open, FlowEventKind.Close,
        };

        /// <summary>Whether the method hands a connection to another method that might change it.</summary>
        private bool HandsOnToUnknown(MethodModel model)
        {
            if (!model.Has(FlowEventKind.Escape))
            {
                return false;
            }

            foreach (var flowEvent in model.Events)
            {
                if (flowEvent.Kind == FlowEventKind.Escape && !LeavesConnectionsAlone(flowEvent.Invocation.TargetMethod))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether the SQL begins or ends a transaction, or resets or discards settings.</summary>
        private static bool ControlsTransactions(ExecutionSite site)
        {
            foreach (var statement in site.Sql!.Script.Statements)
            {
                if (statement.IsTransactionControl || statement.Kind is Sql.SqlStatementKind.Reset or Sql.SqlStatementKind.Discard)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The model of one of the project's own methods that summaries can read (see <see cref="Summarize{T}"/>), built
        /// once per compilation and shared with the summaries; null for any other method. For rules that follow a helper
        /// of another class the way they follow one of the class they analyze.
        /// </summary>
        public MethodModel? ReadableModelOf(IMethodSymbol method) => IsReadable(method.OriginalDefinition) ? Model(method) : null;

        /// <summary>The model of a method's body, from its own tree (null when it has none).</summary>
        private MethodModel? Model(IMethodSymbol method)
        {
            // One model per method for every kind of summary (no lock: a race builds it twice, never waits on another
            // thread's build, which could be waiting on this one).
            method = method.OriginalDefinition;
            if (_models.TryGetValue(method, out var known))
            {
                return known;
            }

            return _models.GetOrAdd(method, Body(method) is { } body ? Models.Build(body, ImmutableHashSet<string>.Empty) : null);
        }

        /// <summary>The operation of a method's body, from its own tree (null when it has none), bound once per compilation.</summary>
        private IOperation? Body(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            if (_bodies.TryGetValue(method, out var known))
            {
                return known;
            }

            return _bodies.GetOrAdd(method, Bind(method));
        }

        private IOperation? Bind(IMethodSymbol method)
        {
            var declaration = method.DeclaringSyntaxReferences[0].GetSyntax(CancellationToken.None);

            // Once per summarized method and compilation (the results are cached above), without nullable analysis where
            // the compiler allows it.
            return _semanticModels.For(declaration.SyntaxTree).GetOperation(declaration);
        }

        private bool Compute(IMethodSymbol method)
        {
            if (Model(method) is not { } model)
            {
                return false;
            }

            var body = model.Root;
            foreach (var site in model.Sites)
            {
                if (site.Sql is null || HasSetting(site))
                {
                    return false; // it runs SQL we cannot read, or applies a setting: not a bare factory
                }
            }

            var returns = 0;
            foreach (var operation in OperationHelpers.DescendantsInBody(body))
            {
                if (operation is IReturnOperation { ReturnedValue: { } value })
                {
                    returns++;
                    if (!model.IsFreshValue(value, operation.Syntax.SpanStart))
                    {
                        return false;
                    }
                }
                else if (operation is IInvocationOperation invocation && model.EventAt(invocation.Syntax) is { Kind: FlowEventKind.Escape }
                    && !LeavesConnectionsAlone(invocation.TargetMethod))
                {
                    return false; // the connection is handed to another method, which may apply the setting
                }
            }

            return returns > 0;
        }

        private static bool HasSetting(ExecutionSite site)
        {
            foreach (var statement in site.Sql!.Script.Statements)
            {
                if (!statement.Settings.IsEmpty)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
