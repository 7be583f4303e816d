using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1008: the tenant setting made for the whole session (SET, SET SESSION, set_config(.., false)).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SessionTenantSettingAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1008_SessionTenantSetting);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var reported = new HashSet<Location>();
            foreach (var (site, _, setting) in SqlRules.TenantSettingAssignments(analysis.Model, analysis.Options))
            {
                if (setting.Scope != SettingScope.Session)
                {
                    continue;
                }

                var location = SqlRules.LocationOf(site, setting.Start, setting.End);
                if (reported.Add(location))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TG1008_SessionTenantSetting, location, ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Setting, setting.Name), setting.Name));
                }
            }
        }
    }
}
