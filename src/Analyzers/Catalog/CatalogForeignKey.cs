using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    internal sealed class CatalogForeignKey
    {
        public CatalogForeignKey(string table, ImmutableArray<string> columns, string referencedTable, ImmutableArray<string> referencedColumns, Location? location, string? name = null)
        {
            Name = name;
            Table = table;
            Columns = columns;
            ReferencedTable = referencedTable;
            ReferencedColumns = referencedColumns;
            Location = location;
        }

        /// <summary>The constraint's name, when the migration gives one (<c>CONSTRAINT fk_x FOREIGN KEY ...</c>).</summary>
        public string? Name { get; }

        public string Table { get; }

        public ImmutableArray<string> Columns { get; }

        public string ReferencedTable { get; }

        /// <summary>Empty when the key references the primary key implicitly.</summary>
        public ImmutableArray<string> ReferencedColumns { get; }

        public Location? Location { get; }
    }
}
