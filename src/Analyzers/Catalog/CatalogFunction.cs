using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>A function the migrations create: its body, where TG2005 reads the settings a policy reads through it.</summary>
    internal sealed class CatalogFunction
    {
        public CatalogFunction(string name, string body, Location? location)
        {
            Name = name;
            Body = body;
            Location = location;
        }

        /// <summary>The name as created, schema-qualified where the migration qualifies it.</summary>
        public string Name { get; }

        public string Body { get; }

        /// <summary>The CREATE FUNCTION statement.</summary>
        public Location? Location { get; }
    }
}
