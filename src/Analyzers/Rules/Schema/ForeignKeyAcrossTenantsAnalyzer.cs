using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>
    /// TG2007: a foreign key from a table with a tenant column to another table with a tenant column whose columns do
    /// not include the tenant column: it can point at another tenant's row.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ForeignKeyAcrossTenantsAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2007_ForeignKeyAcrossTenants);

        private protected override void Analyze(SchemaContext context)
        {
            var tenantColumns = context.Options.TenantColumns;
            foreach (var table in context.Tables)
            {
                if ((table.Unknown & UnknownAspects.ForeignKey) != 0 || table.TenantColumn(tenantColumns) is not { } column)
                {
                    continue;
                }

                foreach (var key in table.ForeignKeys)
                {
                    if (key.Columns.Any(tenantColumns.Contains)
                        || context.Catalog.Table(key.ReferencedTable) is not { } referenced
                        || referenced.TenantColumn(tenantColumns) is not { } referencedColumn)
                    {
                        continue;
                    }

                    var target = key.ReferencedColumns.IsEmpty ? referenced.PrimaryKey.ToImmutableArray() : key.ReferencedColumns;
                    context.Report(
                        Descriptors.TG2007_ForeignKeyAcrossTenants,
                        key.Location,
                        FixProperties.SqlName(table),
                        string.Join(", ", key.Columns.Select(FixProperties.SqlName)),
                        FixProperties.SqlName(referenced),
                        string.Join(", ", new[] { column }.Concat(key.Columns).Select(FixProperties.SqlName)),
                        string.Join(", ", new[] { referencedColumn }.Concat(target.IsEmpty ? ImmutableArray.Create("id") : target).Select(FixProperties.SqlName)));
                }
            }
        }
    }
}
