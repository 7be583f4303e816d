using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>TG2010 (suggestion): a table whose policies filter it by tenant and whose tenant column leads no index, primary key or unique constraint.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class TenantColumnNotIndexedAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2010_TenantColumnNotIndexed);

        private protected override void Analyze(SchemaContext context)
        {
            var tenantColumns = context.Options.TenantColumns;
            foreach (var table in context.Tables)
            {
                if (!table.Created || !table.RlsEnabled || table.Policies.Count == 0 || (table.Unknown & UnknownAspects.Index) != 0 || table.TenantColumn(tenantColumns) is not { } column)
                {
                    continue;
                }

                var led = (table.PrimaryKey.Count > 0 && tenantColumns.Contains(table.PrimaryKey[0]))
                    || table.Indexes.Any(i => i.Columns.Length > 0 && tenantColumns.Contains(i.Columns[0]));
                if (!led)
                {
                    context.Report(Descriptors.TG2010_TenantColumnNotIndexed, table.Location, table.Name, column, FixProperties.SqlName(table), FixProperties.SqlName(column));
                }
            }
        }
    }
}
