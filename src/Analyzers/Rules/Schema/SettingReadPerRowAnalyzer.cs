using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>TG2006: a policy's <c>current_setting(...)</c> not wrapped in a scalar subquery, so evaluated for every row.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SettingReadPerRowAnalyzer : SchemaAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG2006_SettingReadPerRow);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var table in context.Catalog.Tables.Values.OrderBy(t => t.Name, System.StringComparer.Ordinal))
            {
                foreach (var policy in table.Policies)
                {
                    var seen = new HashSet<string>();
                    foreach (var expression in new[] { policy.Using, policy.WithCheck })
                    {
                        if (expression is null)
                        {
                            continue;
                        }

                        foreach (var read in SettingReads.In(expression.Text))
                        {
                            if (!read.InSubquery && seen.Add(read.Text))
                            {
                                context.Report(
                                    Descriptors.TG2006_SettingReadPerRow,
                                    policy.Location,
                                    Descriptors.TG2006_SettingReadPerRow.DefaultSeverity,
                                    FixProperties.Replacing(read.Text, "(SELECT " + read.Text + ")"),
                                    policy.Name,
                                    table.Name,
                                    read.Text);
                            }
                        }
                    }
                }
            }
        }
    }
}
