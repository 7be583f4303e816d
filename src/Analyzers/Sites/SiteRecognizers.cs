using System.Collections.Immutable;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Sites
{
    /// <summary>The recognizers of every API family's execution sites, in the order the model's walk asks them.</summary>
    internal static class SiteRecognizers
    {
        /// <summary>
        /// Dapper (<c>SqlMapper</c>'s extensions), EF Core raw SQL (the relational extensions), EF Core queries (LINQ
        /// operators over a DbSet, <c>SaveChanges</c>), ADO.NET and Npgsql (a command's or batch's <c>Execute*</c>). The
        /// first site found wins; each family's calls are told apart by their method's type and name, so the order matters
        /// only where two families could claim one call.
        /// </summary>
        public static readonly ImmutableArray<ISiteRecognizer> All = ImmutableArray.Create<ISiteRecognizer>(
            new DapperSites(), new EfCoreRawSqlSites(), new EfCoreQuerySites(), new AdoNetSites());
    }
}
