using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>What the analyzers learn once per compilation: the data-access types and the migrations' RLS tables.</summary>
    internal sealed class AnalysisEnvironment
    {
        public AnalysisEnvironment(DataAccessSymbols symbols, MigrationCatalog catalog)
        {
            Symbols = symbols;
            Catalog = catalog;
        }

        public DataAccessSymbols Symbols { get; }

        public MigrationCatalog Catalog { get; }
    }
}
