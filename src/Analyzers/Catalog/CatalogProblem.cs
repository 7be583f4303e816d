using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>A migration statement about row-level security that TenantGuard could not read.</summary>
    internal sealed class CatalogProblem
    {
        public CatalogProblem(Location? location, string statement, string reason, string? table = null, UnknownAspects aspects = UnknownAspects.All)
        {
            Location = location;
            Statement = statement;
            Reason = reason;
            Table = table;
            Aspects = aspects;
        }

        public Location? Location { get; }

        public string Statement { get; }

        public string Reason { get; }

        /// <summary>The table the statement is about, when that much is known; null: any table that exists when it runs.</summary>
        public string? Table { get; }

        /// <summary>What the statement may have changed.</summary>
        public UnknownAspects Aspects { get; }
    }
}
