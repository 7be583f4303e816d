using System;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Model
{
    internal enum ResourceKind
    {
        /// <summary>An ADO.NET connection (NpgsqlConnection, DbConnection, IDbConnection).</summary>
        Connection,

        /// <summary>An EF Core DbContext: its Database facade owns one connection.</summary>
        DbContext,

        /// <summary>The pooled connection an NpgsqlDataSource command runs on: new for every execution.</summary>
        DataSourceConnection,
    }

    /// <summary>Identifies a connection (or DbContext, or transaction) across the operations of one method.</summary>
    internal sealed class ResourceKey : IEquatable<ResourceKey>
    {
        private ResourceKey(ISymbol? symbol, SyntaxNode? node, ResourceKind kind, string name)
        {
            Symbol = symbol;
            Node = node;
            Kind = kind;
            Name = name;
        }

        /// <summary>The local, parameter, field or property holding it; for <c>this</c>, the containing type.</summary>
        public ISymbol? Symbol { get; }

        /// <summary>For a data-source connection, the execution that creates it.</summary>
        public SyntaxNode? Node { get; }

        public ResourceKind Kind { get; }

        /// <summary>A name to show in messages.</summary>
        public string Name { get; }

        public static ResourceKey For(ISymbol symbol, ResourceKind kind) =>
            new(symbol, null, kind, symbol is ITypeSymbol ? "this" : symbol.Name);

        public static ResourceKey ForDataSource(SyntaxNode execution) =>
            new(null, execution, ResourceKind.DataSourceConnection, "data-source connection");

        public bool Equals(ResourceKey? other) =>
            other is not null
            && (Symbol is null ? other.Symbol is null && Node == other.Node : SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol));

        public override bool Equals(object? obj) => Equals(obj as ResourceKey);

        public override int GetHashCode() => Symbol is not null ? SymbolEqualityComparer.Default.GetHashCode(Symbol) : Node?.GetHashCode() ?? 0;

        public override string ToString() => Name;
    }
}
