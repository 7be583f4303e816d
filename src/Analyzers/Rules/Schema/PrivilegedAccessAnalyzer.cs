using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>
    /// TG2009: an application role (<c>tenantguard.app_roles</c>) created or altered with BYPASSRLS or SUPERUSER, and a
    /// grant to PUBLIC on a tenant table.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class PrivilegedAccessAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2009_PrivilegedAccess);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var role in context.Catalog.Roles.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                if (context.Options.AppRoles.Contains(role.Name) && (role.BypassRls || role.Superuser))
                {
                    context.Report(
                        Descriptors.TG2009_PrivilegedAccess,
                        role.Location,
                        $"Role '{role.Name}' is an application role (tenantguard.app_roles) but has {(role.Superuser ? "SUPERUSER" : "BYPASSRLS")}: it ignores every row-level security policy, whatever tenant it sets; give it NOSUPERUSER NOBYPASSRLS and use another role for migrations and cross-tenant jobs");
                }
            }

            foreach (var table in context.Tables)
            {
                if (!table.RlsEnabled && !table.HoldsTenantRows(context.Options.TenantColumns, context.Options.ConfiguredTenantTables))
                {
                    continue;
                }

                foreach (var grant in table.Grants)
                {
                    if (grant.Grantees.Any(g => g.Equals("public", StringComparison.OrdinalIgnoreCase)))
                    {
                        context.Report(
                            Descriptors.TG2009_PrivilegedAccess,
                            grant.Location,
                            $"{string.Join(", ", grant.Privileges).ToUpperInvariant()} on tenant table '{table.Name}' is granted to PUBLIC: every role, including ones created later for reporting or support, can query it and set whichever tenant it likes; grant it to the application's roles only");
                    }
                }
            }
        }
    }
}
