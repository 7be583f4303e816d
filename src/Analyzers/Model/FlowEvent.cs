using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Analyzers.Model
{
    internal enum FlowEventKind
    {
        /// <summary>SQL executes (see <see cref="FlowEvent.Site"/>).</summary>
        Execute,
        BeginTransaction,
        Commit,
        Rollback,
        RollbackToSavepoint,
        Save,
        Release,

        /// <summary>The connection is closed or disposed: it goes back to the pool and is reset.</summary>
        Close,

        /// <summary>An EF Core context's connection is opened by the code (<c>Database.OpenConnection</c>): it stays open between commands.</summary>
        Open,

        /// <summary>A call that goes over the network (HttpClient and configured types).</summary>
        NetworkCall,

        /// <summary>A connection variable is assigned another connection: what was known of the old one no longer applies.</summary>
        Reassign,

        /// <summary>
        /// Connections, transactions or DbContexts handed to a method outside the data-access libraries (a helper of
        /// the application's own): it may apply the tenant setting, so afterwards the context is assumed.
        /// </summary>
        Escape,

        /// <summary>
        /// A call of a local function of the method: changes nothing here, but the state before it is where the local
        /// function starts (see <c>TenantContextFlow</c>).
        /// </summary>
        LocalFunctionCall,

        /// <summary>
        /// A call of one of the project's own methods that is no other event, recorded by the flow in methods that may
        /// use transactions: it changes nothing here, but it may reach the network (TG1005 asks its summary).
        /// </summary>
        Call,

        /// <summary>
        /// An invocation of one of the method's delegate parameters with a connection (<c>await work(connection,
        /// transaction)</c>), recorded only while summarizing a with-tenant wrapper: it changes nothing here, but the
        /// state before it is where a callback passed to the wrapper starts (see <c>Flow/CallbackEntry</c>).
        /// </summary>
        Callback,
    }

    /// <summary>Something an invocation does to a connection's transaction or tenant context.</summary>
    internal sealed class FlowEvent
    {
        public FlowEvent(FlowEventKind kind, IInvocationOperation invocation, ResourceKey? connection, ResourceKey? transaction, ExecutionSite? site = null)
            : this(kind, (IOperation)invocation, connection, transaction, site, default, default)
        {
        }

        private FlowEvent(FlowEventKind kind, IOperation operation, ResourceKey? connection, ResourceKey? transaction, ExecutionSite? site, ImmutableArray<ResourceKey> escaped, ImmutableArray<int> ordinals)
        {
            Escaped = escaped.IsDefault ? ImmutableArray<ResourceKey>.Empty : escaped;
            EscapedOrdinals = ordinals.IsDefault ? ImmutableArray<int>.Empty : ordinals;
            Kind = kind;
            Operation = operation;
            Connection = connection;
            Transaction = transaction;
            Site = site;
        }

        public FlowEventKind Kind { get; }

        /// <summary>The invocation; for <see cref="FlowEventKind.Reassign"/> the assignment; for an enumerated DbSet, the property reference.</summary>
        public IOperation Operation { get; }

        /// <summary>The invocation (every kind but <see cref="FlowEventKind.Reassign"/> and <see cref="Enumeration"/>).</summary>
        public IInvocationOperation Invocation => (IInvocationOperation)Operation;

        public SyntaxNode Syntax => Operation.Syntax;

        public ResourceKey? Connection { get; }

        public ResourceKey? Transaction { get; }

        public ExecutionSite? Site { get; }

        /// <summary>SQL that runs when a <c>foreach</c> enumerates a DbSet property (<c>foreach (var c in db.Contacts)</c>).</summary>
        public static FlowEvent Enumeration(ExecutionSite site) =>
            new(FlowEventKind.Execute, site.Operation, site.Connection, site.Transaction, site, default, default);

        public static FlowEvent Reassignment(IOperation assignment, ResourceKey connection) =>
            new(FlowEventKind.Reassign, assignment, connection, null, null, default, default);

        /// <summary>Connections (or DbContexts) handed to a method of the project, with the parameter each is passed as.</summary>
        public static FlowEvent Escape(IInvocationOperation invocation, ImmutableArray<ResourceKey> escaped, ImmutableArray<int> ordinals) =>
            new(FlowEventKind.Escape, invocation, null, null, null, escaped, ordinals);

        /// <summary>For <see cref="FlowEventKind.Escape"/>: the connections (or DbContexts) handed over.</summary>
        public ImmutableArray<ResourceKey> Escaped { get; }

        /// <summary>
        /// For <see cref="FlowEventKind.Escape"/>: the ordinal of the parameter each of <see cref="Escaped"/> is passed
        /// as, or -1 (the receiver of an instance method, or a transaction that stands for its connection).
        /// </summary>
        public ImmutableArray<int> EscapedOrdinals { get; }
    }
}
