using System;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>Identifies a connection (or DbContext, or transaction) across the operations of one method.</summary>
    internal sealed class ResourceKey : IEquatable<ResourceKey>
    {
        private ResourceKey(ISymbol? symbol, SyntaxNode? node, ResourceKind kind, string name, ILocalSymbol? owner = null)
        {
            Symbol = symbol;
            Owner = owner;
            Node = node;
            Kind = kind;
            Name = name;
        }

        /// <summary>The local, parameter, field or property holding it; for <c>this</c>, the containing type.</summary>
        public ISymbol? Symbol { get; }

        /// <summary>
        /// For a member of a local (<c>session.Connection</c>, <c>session.Item1</c>, the local holding what one of the
        /// project's methods returned): the local; <see cref="Symbol"/> is then the member.
        /// </summary>
        public ILocalSymbol? Owner { get; }

        /// <summary>For a data-source connection, the execution that creates it.</summary>
        public SyntaxNode? Node { get; }

        public ResourceKind Kind { get; }

        /// <summary>A name to show in messages.</summary>
        public string Name { get; }

        public static ResourceKey For(ISymbol symbol, ResourceKind kind) =>
            new(symbol, null, kind, symbol is ITypeSymbol ? "this" : symbol.Name);

        /// <summary>A connection or transaction held in a member of a local: <c>session.Connection</c>.</summary>
        public static ResourceKey ForMember(ILocalSymbol owner, ISymbol member, ResourceKind kind) =>
            new(member, null, kind, owner.Name + "." + member.Name, owner);

        public static ResourceKey ForDataSource(SyntaxNode execution) =>
            new(null, execution, ResourceKind.DataSourceConnection, "data-source connection");

        public bool Equals(ResourceKey? other) =>
            other is not null
            && (Symbol is null ? other.Symbol is null && Node == other.Node : SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol))
            && SymbolEqualityComparer.Default.Equals(Owner, other.Owner);

        public override bool Equals(object? obj) => Equals(obj as ResourceKey);

        public override int GetHashCode() =>
            (Symbol is not null ? SymbolEqualityComparer.Default.GetHashCode(Symbol) : Node?.GetHashCode() ?? 0)
            ^ (Owner is null ? 0 : SymbolEqualityComparer.Default.GetHashCode(Owner) * 31);

        public override string ToString() => Name;
    }
}
