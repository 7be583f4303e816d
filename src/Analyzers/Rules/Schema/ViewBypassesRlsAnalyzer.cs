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
    /// it checks row-level security against its owner; unless its query filters by a tenant setting itself. A
    /// materialized view over a tenant table is reported whatever it says: it stores the rows of its owner's refresh, and
    /// reading it checks no policy.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ViewBypassesRlsAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2008_ViewBypassesRls);

        private protected override void Analyze(SchemaContext context)
        {
            var views = new Dictionary<string, CatalogView>(System.StringComparer.OrdinalIgnoreCase);
            foreach (var view in context.Catalog.Views)
            {
                views[view.Name] = view;
            }

            var setting = context.Options.TenantSettings.OrderBy(t => t, System.StringComparer.Ordinal).FirstOrDefault() ?? "app.tenant_id";
            foreach (var view in context.Catalog.Views.OrderBy(v => v.Name, System.StringComparer.Ordinal))
            {
                if (!view.Materialized && (view.SecurityInvoker || view.Settings.Any(context.Options.TenantSettings.Contains)))
                {
                    continue; // checks the caller's policies, or filters by the tenant itself
                }

                var tables = TenantTablesRead(view, views, context, depth: 0);
                if (tables.Count == 0)
                {
                    continue;
                }

                var read = string.Join(", ", tables.Distinct().OrderBy(t => t, System.StringComparer.Ordinal));
                var message = view.Materialized
                    ? $"Materialized view '{view.Name}' stores the rows of {read} that the role refreshing it sees, and reading it checks no policy (a materialized view takes neither row-level security nor security_invoker): every role that can select from it sees every tenant's rows; revoke the application's access to it and read it through a view that filters by the tenant, WITH (security_barrier) AS SELECT ... WHERE tenant_id = (SELECT NULLIF(current_setting('{setting}', true), '')::uuid), or use a plain view WITH (security_invoker = true)"
                    : $"View '{view.Name}' reads {read} with its owner's rights, not the caller's: when the owner bypasses row-level security (a superuser, a BYPASSRLS role, or the owner of a table that is not forced) every tenant sees every row through it; create it WITH (security_invoker = true) (PostgreSQL 15 and later)";
                context.Report(Descriptors.TG2008_ViewBypassesRls, view.Location, message);
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
                else if (depth < 3 && views.TryGetValue(name, out var inner) && inner != view
                    && (inner.Materialized || !inner.Settings.Any(context.Options.TenantSettings.Contains)))
                {
                    // (A view that filters by the tenant setting filters by the caller's: reading through it is fine.)
                    // Read through this view, even a security_invoker one checks this view's owner: the "caller" is the owner.
                    result.AddRange(TenantTablesRead(inner, views, context, depth + 1));
                }
            }

            return result;
        }
    }
}
