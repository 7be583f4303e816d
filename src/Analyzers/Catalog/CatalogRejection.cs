using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>A migration statement PostgreSQL rejects (TG2011): the SQL it builds, the error, and the local edit that fixes it.</summary>
    internal sealed class CatalogRejection
    {
        public CatalogRejection(Location? location, string sql, string error, (string Find, string Replace)? fix, string? unit, string advice)
        {
            Advice = advice;
            Location = location;
            Sql = sql;
            Error = error;
            Fix = fix;
            Unit = unit;
        }

        /// <summary>
        /// The migration that runs in one transaction with it (an EF Core or FluentMigrator migration, a .sql file between
        /// BEGIN and COMMIT), rolled back with it; null when only its DO block is.
        /// </summary>
        public string? Unit { get; }

        /// <summary>What to write instead.</summary>
        public string Advice { get; }

        public Location? Location { get; }

        /// <summary>The statement as PostgreSQL receives it.</summary>
        public string Sql { get; }

        /// <summary>PostgreSQL's SQLSTATE and message.</summary>
        public string Error { get; }

        public (string Find, string Replace)? Fix { get; }
    }
}
