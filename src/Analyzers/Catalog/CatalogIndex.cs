using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    internal sealed class CatalogIndex
    {
        public CatalogIndex(string name, string table, ImmutableArray<string> columns, bool unique, Location? location)
        {
            Name = name;
            Table = table;
            Columns = columns;
            Unique = unique;
            Location = location;
        }

        public string Name { get; }

        public string Table { get; }

        public ImmutableArray<string> Columns { get; }

        public bool Unique { get; }

        public Location? Location { get; }
    }
}
