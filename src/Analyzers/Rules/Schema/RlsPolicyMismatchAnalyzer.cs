using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>
    /// TG2004: row-level security enabled with no policy (every row denied: a suggestion, it may be meant), or policies
    /// on a table whose row-level security is never enabled (they do nothing: a warning).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RlsPolicyMismatchAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2004_RlsWithoutPolicy);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var table in context.Tables)
            {
                if (table.RlsEnabled && table.Policies.Count == 0 && (table.Unknown & UnknownAspects.Policy) == 0)
                {
                    context.Report(
                        Descriptors.TG2004_RlsWithoutPolicy,
                        table.RlsLocation,
                        DiagnosticSeverity.Info,
                        $"Row-level security on '{table.Name}' is enabled but no policy is created for it: every query of a role it applies to sees no rows and every write fails; create the tenant policy, or say so with a comment if denying everything is meant");
                }
                else if (!table.RlsEnabled && table.Policies.Count > 0 && (table.Unknown & UnknownAspects.Rls) == 0)
                {
                    foreach (var policy in table.Policies)
                    {
                        context.Report(
                            Descriptors.TG2004_RlsWithoutPolicy,
                            policy.Location,
                            $"Policy '{policy.Name}' on '{table.Name}' does nothing: row-level security is {(table.RlsLocation is null ? "never enabled" : "disabled (" + SchemaContext.Where(table.RlsLocation) + ")")} on the table, so every role sees every row; add ALTER TABLE {FixProperties.SqlName(table)} ENABLE ROW LEVEL SECURITY and FORCE ROW LEVEL SECURITY");
                    }
                }
            }
        }
    }
}
