using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    internal sealed class CatalogGrant
    {
        public CatalogGrant(string table, ImmutableArray<string> privileges, ImmutableArray<string> grantees, Location? location)
        {
            Table = table;
            Privileges = privileges;
            Grantees = grantees;
            Location = location;
        }

        public string Table { get; }

        public ImmutableArray<string> Privileges { get; }

        public ImmutableArray<string> Grantees { get; }

        public Location? Location { get; }
    }
}
