using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    internal sealed class CatalogRole
    {
        public CatalogRole(string name, bool bypassRls, bool superuser, Location? location)
        {
            Name = name;
            BypassRls = bypassRls;
            Superuser = superuser;
            Location = location;
        }

        public string Name { get; }

        public bool BypassRls { get; }

        public bool Superuser { get; }

        public Location? Location { get; }
    }
}
