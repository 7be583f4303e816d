using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1009: the tenant setting's value spliced into SET / set_config text by concatenation or interpolation.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SplicedTenantSettingAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1009_SplicedTenantSetting);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var reported = new HashSet<Location>();
            foreach (var (site, statement, setting) in SqlRules.TenantSettingAssignments(analysis.Model, analysis.Options))
            {
                var hole = FirstTextHole(site.Sql!.Text, setting);
                if (hole < 0)
                {
                    continue;
                }

                var location = site.Sql.HoleAt(hole)?.Syntax.GetLocation() ?? SqlRules.LocationOf(site, setting.Start, setting.End);
                if (reported.Add(location))
                {
                    var properties = ImmutableDictionary<string, string?>.Empty
                        .Add(FixProperties.Setting, setting.Name)
                        .Add(FixProperties.SiteKind, site.Kind.ToString())
                        .Add(FixProperties.SingleStatement, site.Sql.Script.Statements.Length == 1 && statement.Settings.Length == 1 ? "true" : "false");
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TG1009_SplicedTenantSetting, location, properties, setting.Name));
                }
            }
        }

        private static int FirstTextHole(string text, SettingAssignment setting)
        {
            foreach (var token in setting.ValueTokens)
            {
                var index = text.IndexOf(SqlLexer.TextHoleChar, token.Start, token.Length);
                if (index >= 0)
                {
                    return index;
                }
            }

            return -1;
        }
    }
}
