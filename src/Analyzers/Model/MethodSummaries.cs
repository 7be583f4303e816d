using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// What the project's own methods do, read from their bodies on demand and kept for the compilation. So far one
    /// question: does a method hand out a fresh connection that carries no tenant setting (a connection factory such as
    /// <c>Task&lt;NpgsqlConnection&gt; OpenAsync() =&gt; _dataSource.OpenConnectionAsync()</c>)? A caller's connection from such
    /// a method is fresh, not "received": TG1001 and TG1007 apply to it. Interface, abstract and virtual methods, methods of
    /// other assemblies, and methods that apply a setting or hand the connection on stay unknown (the connection is
    /// received, see <c>tenantguard.assume_context_on_parameters</c>).
    /// </summary>
    internal sealed class MethodSummaries
    {
        private const int MaxDepth = 3;

        private readonly DataAccessSymbols _symbols;
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _freshFactories = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _inert = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyDictionary<int, SqlSource>?> _writtenText = new(SymbolEqualityComparer.Default);

        [System.ThreadStatic]
        private static HashSet<IMethodSymbol>? t_inProgress;

        public MethodSummaries(DataAccessSymbols symbols)
        {
            _symbols = symbols;
        }

        /// <summary>Whether a call to this method returns a connection it created (or opened from a data source) and set nothing on.</summary>
        public bool ReturnsFreshConnection(IMethodSymbol method) =>
            _symbols.IsConnection(UnwrapTask(method.ReturnType)) && Summarize(_freshFactories, method, Compute, unknown: false);

        /// <summary>
        /// Whether a method the caller hands a connection (or transaction, or DbContext) to leaves it as it was: it is the
        /// project's own, readable method, and nothing in it begins, ends, opens or closes anything, applies a setting,
        /// runs SQL that cannot be read, or hands the connection on to a method that might. A call to it does not count as
        /// the place where the tenant may have been applied.
        /// </summary>
        public bool LeavesConnectionsAlone(IMethodSymbol method) => Summarize(_inert, method, ComputeInert, unknown: false);

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

            return true;
        }

        /// <summary>
        /// The SQL text a helper writes into the command it receives as parameter <paramref name="ordinal"/>
        /// (<c>void PrepareCommand(DbCommand cmd, Tenant t) =&gt; cmd.CommandText = $"SET app.current_tenant = '{t.Name}'"</c>),
        /// when it writes it exactly once; null otherwise. Its map points into the helper.
        /// </summary>
        public SqlSource? CommandTextWrittenBy(IMethodSymbol method, int ordinal) =>
            Summarize(_writtenText, method, ComputeWrittenText, unknown: null)?.TryGetValue(ordinal, out var text) == true ? text : null;

        /// <summary>
        /// A summary of one of the project's own methods that TenantGuard can read (an ordinary, non-virtual method with
        /// one declaration, not an interface member), computed once per compilation; <paramref name="unknown"/> for any
        /// other method, and while following a recursion or more than <see cref="MaxDepth"/> calls deep.
        /// </summary>
        private static T Summarize<T>(ConcurrentDictionary<IMethodSymbol, T> cache, IMethodSymbol method, System.Func<IMethodSymbol, T> compute, T unknown)
        {
            method = method.OriginalDefinition;
            if (method.MethodKind != MethodKind.Ordinary || method.IsAbstract || method.IsVirtual || method.ContainingType?.TypeKind == TypeKind.Interface
                || method.DeclaringSyntaxReferences.Length != 1)
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
            FlowEventKind.Save, FlowEventKind.Release, FlowEventKind.Open, FlowEventKind.Close, FlowEventKind.Escape,
        };

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

        /// <summary>The model of a method's body, from its own tree (null when it has none).</summary>
        private MethodModel? Model(IMethodSymbol method)
        {
            var declaration = method.DeclaringSyntaxReferences[0].GetSyntax(CancellationToken.None);

            // The callee may live in another file than the block being analyzed: its tree's semantic model is needed, once
            // per summarized method and compilation (the results are cached above).
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
            var semanticModel = _symbols.Compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
            return semanticModel.GetOperation(declaration) is { } body
                ? MethodModel.Build(body, _symbols, System.Collections.Immutable.ImmutableHashSet<string>.Empty)
                : null;
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
                else if (operation is IInvocationOperation invocation && model.EventAt(invocation.Syntax) is { Kind: FlowEventKind.Escape })
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

        private static ITypeSymbol UnwrapTask(ITypeSymbol type) =>
            type is INamedTypeSymbol { IsGenericType: true, Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : type;
    }
}
