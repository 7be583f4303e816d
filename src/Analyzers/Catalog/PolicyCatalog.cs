using System;
using System.Collections.Immutable;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// What the project's migrations say about row-level security, table by table: RLS enabled and forced, every
    /// policy with the settings it reads and the columns it compares them with, foreign keys, indexes, views and
    /// grants, and the roles. Read in migration order (file name, then statement) from .sql AdditionalFiles and
    /// from SQL text in C# (EF Core <c>migrationBuilder.Sql</c>, FluentMigrator <c>Execute.Sql</c>, any string that
    /// creates or alters policies or row-level security). Built once per compilation.
    /// </summary>
    internal sealed class PolicyCatalog
    {
        public static readonly PolicyCatalog Empty = new(
            ImmutableDictionary<string, CatalogTable>.Empty, ImmutableArray<CatalogView>.Empty, ImmutableArray<CatalogRole>.Empty,
            ImmutableDictionary<string, ImmutableArray<string>>.Empty, ImmutableArray<CatalogProblem>.Empty, 0);

        public PolicyCatalog(
            ImmutableDictionary<string, CatalogTable> tables,
            ImmutableArray<CatalogView> views,
            ImmutableArray<CatalogRole> roles,
            ImmutableDictionary<string, ImmutableArray<string>> functions,
            ImmutableArray<CatalogProblem> problems,
            int documents,
            ImmutableArray<CatalogRejection> rejections = default,
            ImmutableDictionary<string, CatalogFunction>? definitions = null,
            int unreadable = 0)
        {
            Unreadable = unreadable;
            Definitions = definitions ?? ImmutableDictionary<string, CatalogFunction>.Empty;
            Rejections = rejections.IsDefault ? ImmutableArray<CatalogRejection>.Empty : rejections;
            Tables = tables;
            Views = views;
            Roles = roles;
            Functions = functions;
            Problems = problems;
            Documents = documents;

            var rls = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
            var settings = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var table in tables.Values)
            {
                if (table.IsUnderRls)
                {
                    rls.Add(table.Name);
                }

                foreach (var policy in table.Policies)
                {
                    settings.UnionWith(policy.Settings);
                }
            }

            RlsTables = rls.ToImmutable();
            PolicySettings = settings.ToImmutable();
        }

        /// <summary>Every table the migrations name, by unqualified name.</summary>
        public ImmutableDictionary<string, CatalogTable> Tables { get; }

        public ImmutableArray<CatalogView> Views { get; }

        public ImmutableArray<CatalogRole> Roles { get; }

        /// <summary>Of <see cref="Documents"/>, those whose SQL is known only at run time (<c>migrationBuilder.Sql(method())</c>).</summary>
        public int Unreadable { get; }

        /// <summary>Functions the migrations define, by name and by schema-qualified name, with their bodies.</summary>
        public ImmutableDictionary<string, CatalogFunction> Definitions { get; }

        /// <summary>Functions the migrations define, with the settings their bodies read.</summary>
        public ImmutableDictionary<string, ImmutableArray<string>> Functions { get; }

        /// <summary>Statements about row-level security that could not be read.</summary>
        /// <summary>Migration statements PostgreSQL rejects; what their DO block would have done is not in the catalog.</summary>
        public ImmutableArray<CatalogRejection> Rejections { get; }

        public ImmutableArray<CatalogProblem> Problems { get; }

        /// <summary>How many migration documents (files and C# strings) were read.</summary>
        public int Documents { get; }

        /// <summary>Tables with row-level security enabled or with a policy.</summary>
        public ImmutableHashSet<string> RlsTables { get; }

        /// <summary>Every setting any policy reads.</summary>
        public ImmutableHashSet<string> PolicySettings { get; }

        public CatalogTable? Table(string name) => Tables.TryGetValue(name, out var table) ? table : null;
    }
}
