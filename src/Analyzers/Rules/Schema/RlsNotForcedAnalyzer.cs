using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>TG2002: row-level security enabled on a table but not forced, so the table's owner bypasses it.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class RlsNotForcedAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2002_RlsNotForced);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var table in context.Tables)
            {
                if (table.RlsEnabled && !table.RlsForced && (table.Unknown & UnknownAspects.Rls) == 0)
                {
                    var name = FixProperties.SqlName(table);
                    context.Report(
                        Descriptors.TG2002_RlsNotForced,
                        table.RlsLocation,
                        Descriptors.TG2002_RlsNotForced.DefaultSeverity,
                        ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Append, $"ALTER TABLE {name} FORCE ROW LEVEL SECURITY;"),
                        table.Name,
                        name);
                }
            }
        }
    }
}
