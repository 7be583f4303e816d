using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Analyzers.Model
{
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
