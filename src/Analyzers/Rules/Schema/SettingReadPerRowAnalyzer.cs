using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.Analyzers.Rules.Schema
{
    /// <summary>TG2006: a policy's <c>current_setting(...)</c> not wrapped in a scalar subquery, so evaluated for every row.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SettingReadPerRowAnalyzer : SchemaAnalyzer
    {
        private protected override ImmutableArray<DiagnosticDescriptor> Rules { get; } = ImmutableArray.Create(Descriptors.TG2006_SettingReadPerRow);

        private protected override void Analyze(SchemaContext context)
        {
            foreach (var (table, policy, read) in context.PolicySettingReads())
            {
                if (!read.InSubquery)
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

            // A call of a function of the migrations that reads a setting: evaluated per row too, unless in a scalar subquery.
            foreach (var (table, policy, _, text, inSubquery) in context.PolicyFunctionCalls())
            {
                if (!inSubquery)
                {
                    context.Report(
                        Descriptors.TG2006_SettingReadPerRow,
                        policy.Location,
                        Descriptors.TG2006_SettingReadPerRow.DefaultSeverity,
                        FixProperties.Replacing(text, "(SELECT " + text + ")"),
                        policy.Name,
                        table.Name,
                        text);
                }
            }
        }
    }
}
