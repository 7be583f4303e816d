using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>TG2001: a table with a tenant column (or listed as a tenant table) that the migrations leave without row-level security.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TableWithoutRlsAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2001_TableWithoutRls);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var table in context.Tables)
            {
                // Policies without row-level security are TG2004's finding.
                // A statement TenantGuard could not read may have enabled it, or created a policy (TG0002 says which).
                if (!table.Created || table.RlsEnabled || table.Policies.Count > 0 || (table.Unknown & (UnknownAspects.Rls | UnknownAspects.Policy)) != 0)
                {
                    continue;
                }

                // The table that lists the tenants (tenant_id as its primary key) holds no one tenant's rows.
                var column = table.TenantColumn(context.Options.TenantColumns);
                var why = column is not null ? $"column '{column}'" : context.Options.ConfiguredTenantTables.Contains(table.Name) ? "listed in tenantguard.tenant_tables" : null;
                if (why is null)
                {
                    continue;
                }

                var disabled = table.RlsLocation is not null;
                context.Report(
                    Descriptors.TG2001_TableWithoutRls,
                    disabled ? table.RlsLocation : table.Location,
                    Descriptors.TG2001_TableWithoutRls.DefaultSeverity,
                    disabled ? null : Fix(table, column, context),
                    table.Name,
                    why,
                    disabled ? "disabled here" : "never enabled",
                    FixProperties.SqlName(table));
            }
        }

        /// <summary>
        /// The statements that put a table created with a tenant column of a known type under row-level security:
        /// enabled, forced, and a policy that compares the column with the tenant setting, read once per statement and
        /// safely when it is unset (no TG2005 or TG2006 on what the fix writes). Null when the column or its type is not known.
        /// </summary>
        private static ImmutableDictionary<string, string?>? Fix(CatalogTable table, string? column, SchemaContext context)
        {
            if (column is null || !table.ColumnTypes.TryGetValue(column, out var type))
            {
                return null;
            }

            type = type.ToLowerInvariant() switch
            {
                "serial" or "serial4" => "integer", // a serial column's values are integers: the cast names the type
                "bigserial" or "serial8" => "bigint",
                "smallserial" or "serial2" => "smallint",
                _ => type,
            };
            var name = FixProperties.SqlName(table);
            var policy = FixProperties.SqlName(table.Name.ToLowerInvariant() + "_tenant_isolation");
            var setting = FixProperties.PreferredSetting(context.Options);
            var statements = string.Join(
                "\n",
                $"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;",
                $"ALTER TABLE {name} FORCE ROW LEVEL SECURITY;",
                $"CREATE POLICY {policy} ON {name} USING ({FixProperties.SqlName(column)} = (SELECT NULLIF(current_setting('{setting}', true), '')::{type}));");
            return ImmutableDictionary<string, string?>.Empty
                .Add(FixProperties.Append, statements)
                .Add(FixProperties.Title, $"Enable and force row-level security on {table.Name} with a policy on '{setting}'");
        }
    }
}
