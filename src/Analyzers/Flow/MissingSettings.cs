using System.Collections.Immutable;
using TenantGuard.Analyzers.Catalog;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>What one statement lacks on one table: the settings a policy reads that are not in effect.</summary>
    internal sealed class MissingSettings
    {
        public MissingSettings(string table, CatalogPolicy? policy, ImmutableArray<string> missing, ImmutableArray<string> present)
        {
            Table = table;
            Policy = policy;
            Missing = missing;
            Present = present;
        }

        public string Table { get; }

        /// <summary>The policy whose settings are missing; null when the catalog cannot tell which settings the table needs.</summary>
        public CatalogPolicy? Policy { get; }

        /// <summary>The settings not in effect (all the policy reads when none is).</summary>
        public ImmutableArray<string> Missing { get; }

        /// <summary>The policy's settings that are in effect.</summary>
        public ImmutableArray<string> Present { get; }
    }
}
