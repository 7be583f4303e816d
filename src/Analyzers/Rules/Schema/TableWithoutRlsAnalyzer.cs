using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
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
                if (!table.Created || table.RlsEnabled || table.Policies.Count > 0)
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
                    table.Name,
                    why,
                    disabled ? "disabled here" : "never enabled");
            }
        }
    }
}
