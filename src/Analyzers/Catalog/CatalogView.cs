using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    internal sealed class CatalogView
    {
        public CatalogView(string name, ImmutableArray<string> tables, bool securityInvoker, Location? location, bool materialized = false, ImmutableArray<string> settings = default)
        {
            Name = name;
            Tables = tables;
            SecurityInvoker = securityInvoker;
            Location = location;
            Materialized = materialized;
            Settings = settings.IsDefault ? ImmutableArray<string>.Empty : settings;
        }

        public string Name { get; }

        /// <summary>The tables and views its query names.</summary>
        public ImmutableArray<string> Tables { get; }

        public bool SecurityInvoker { get; }

        public Location? Location { get; }

        /// <summary>
        /// A materialized view: its rows are stored as the role that last refreshed it saw them, and reading it checks no
        /// policy (a materialized view takes neither row-level security nor <c>security_invoker</c>).
        /// </summary>
        public bool Materialized { get; }

        /// <summary>The settings its query filters by (<c>current_setting(...)</c> after WHERE, ON or HAVING, directly or in a function of the migrations).</summary>
        public ImmutableArray<string> Settings { get; }

        public CatalogView WithSecurityInvoker(bool value, Location? location) => new(Name, Tables, value, location ?? Location, Materialized, Settings);

        public CatalogView Renamed(string name) => new(name, Tables, SecurityInvoker, Location, Materialized, Settings);
    }
}
