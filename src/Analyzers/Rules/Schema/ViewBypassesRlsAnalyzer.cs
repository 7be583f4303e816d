using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>
    /// TG2008: a view that reads a tenant table (directly or through other views) and is not <c>security_invoker</c>:
    /// it checks row-level security against its owner.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ViewBypassesRlsAnalyzer : SchemaAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG2008_ViewBypassesRls);

        private protected override void Analyze(SchemaContext context)
        {
            var views = new Dictionary<string, CatalogView>(System.StringComparer.OrdinalIgnoreCase);
            foreach (var view in context.Catalog.Views)
            {
                views[view.Name] = view;
            }

            foreach (var view in context.Catalog.Views.OrderBy(v => v.Name, System.StringComparer.Ordinal))
            {
                if (view.SecurityInvoker)
                {
                    continue;
                }

                var tables = TenantTablesRead(view, views, context, depth: 0);
                if (tables.Count > 0)
                {
                    context.Report(Descriptors.TG2008_ViewBypassesRls, view.Location, view.Name, string.Join(", ", tables.Distinct().OrderBy(t => t, System.StringComparer.Ordinal)));
                }
            }
        }

        /// <summary>The tenant tables (under row-level security, or holding tenant rows) a view reads, directly or through views.</summary>
        private static List<string> TenantTablesRead(CatalogView view, Dictionary<string, CatalogView> views, SchemaContext context, int depth)
        {
            var result = new List<string>();
            foreach (var name in view.Tables)
            {
                if (context.Catalog.Table(name) is { } table)
                {
                    if (table.RlsEnabled || table.HoldsTenantRows(context.Options.TenantColumns, context.Options.ConfiguredTenantTables))
                    {
                        result.Add(table.Name);
                    }
                }
                else if (depth < 3 && views.TryGetValue(name, out var inner) && inner != view)
                {
                    // Read through this view, even a security_invoker one checks this view's owner: the "caller" is the owner.
                    result.AddRange(TenantTablesRead(inner, views, context, depth + 1));
                }
            }

            return result;
        }
    }
}
