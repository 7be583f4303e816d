using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>
    /// TG2003: a permissive policy on a table that holds tenant rows that lets rows through without telling tenants
    /// apart: always true, a setting tested for presence alone, or neither a tenant setting nor a tenant column. Policies only for roles that bypass
    /// row-level security anyway (or, with <c>tenantguard.app_roles</c>, for roles the application does not use) are left alone.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class NonIsolatingPolicyAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2003_NonIsolatingPolicy);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var table in context.Tables)
            {
                // A global table (plans, plugins, countries) may be readable by everyone on purpose.
                if (!table.HoldsTenantRows(context.Options.TenantColumns, context.Options.ConfiguredTenantTables))
                {
                    continue;
                }

                foreach (var policy in table.Policies)
                {
                    if (!policy.Permissive || !AppliesToApplication(policy, context))
                    {
                        continue;
                    }

                    var problem = Problem("USING", policy.Using, policy.Command, context.Options) ?? Problem("WITH CHECK", policy.WithCheck, policy.Command, context.Options);
                    if (problem is not null)
                    {
                        context.Report(Descriptors.TG2003_NonIsolatingPolicy, policy.Location, policy.Name, table.Name, problem);
                    }
                }
            }
        }

        private static string? Problem(string clause, PolicyExpression? expression, PolicyCommand command, TenantGuardOptions options)
        {
            if (expression is null || expression.IsOpaque)
            {
                return null;
            }

            if (expression.IsAlwaysTrue)
            {
                var effect = clause == "WITH CHECK" ? "any tenant may write rows that carry another tenant's id"
                    : command == PolicyCommand.Select ? "every tenant reads every row"
                    : command == PolicyCommand.All ? "every tenant reads and changes every row"
                    : $"every tenant may {command.ToString().ToUpperInvariant()} every row";
                return $"{clause} ({expression.Text}) is always true, and permissive policies are OR-ed: {effect}";
            }

            if (expression.Settings.IsEmpty)
            {
                return NamesTenantColumn(expression.Text, options)
                    ? null
                    : $"{clause} ({expression.Text}) reads no tenant setting and names no tenant column, so it lets the same rows through for every tenant";
            }

            return expression.Columns.IsEmpty && expression.Literals.IsEmpty
                ? $"{clause} ({expression.Text}) compares {SiteSql.QuotedList(expression.Settings)} with no column: any connection that sets it, to any value, passes every row"
                : null;
        }

        private static bool NamesTenantColumn(string text, TenantGuardOptions options)
        {
            foreach (var column in options.TenantColumns)
            {
                if (Regex.IsMatch(text, @"(?<![A-Za-z0-9_$])" + Regex.Escape(column) + @"(?![A-Za-z0-9_$])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether the policy applies to a role the application may connect as: PUBLIC, a role of
        /// <c>tenantguard.app_roles</c> when it is set, otherwise any role but those that bypass row-level security anyway
        /// (created with BYPASSRLS or SUPERUSER, <c>postgres</c>, Supabase's <c>service_role</c>).
        /// </summary>
        private static bool AppliesToApplication(CatalogPolicy policy, SchemaContext context)
        {
            if (policy.Roles.IsEmpty)
            {
                return true;
            }

            foreach (var role in policy.Roles)
            {
                if (role.Equals("public", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                if (!context.Options.AppRoles.IsEmpty)
                {
                    if (context.Options.AppRoles.Contains(role))
                    {
                        return true;
                    }

                    continue;
                }

                var bypasses = role.Equals("postgres", StringComparison.OrdinalIgnoreCase) || role.Equals("service_role", StringComparison.OrdinalIgnoreCase) || role.Equals("supabase_admin", StringComparison.OrdinalIgnoreCase)
                    || context.Catalog.Roles.Any(r => r.Name.Equals(role, StringComparison.OrdinalIgnoreCase) && (r.BypassRls || r.Superuser));
                if (!bypasses)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
