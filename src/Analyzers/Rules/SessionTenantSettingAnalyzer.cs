using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
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
            foreach (var (site, statement, setting) in SqlRules.TenantSettingAssignments(analysis.Model, analysis.Options))
            {
                if (setting.Scope != SettingScope.Session)
                {
                    continue;
                }

                var location = SqlRules.LocationOf(site, setting.Start, setting.End);
                if (reported.Add(location))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TG1008_SessionTenantSetting, location, Properties(site, statement, setting, analysis), setting.Name));
                }
            }
        }

        /// <summary>
        /// What the fix may do without breaking working code. Transaction-local is right where a transaction is open
        /// at the setting, or where the work follows in the same command text (one implicit transaction): then
        /// <see cref="FixProperties.LocalFix"/> is <c>local</c>. On a connection the method opened with no transaction,
        /// the setting alone would end with its command: <c>wrap</c>, a transaction around the setting and the work.
        /// Otherwise (a connection received with no transaction) no fix is offered.
        /// </summary>
        private static ImmutableDictionary<string, string?> Properties(ExecutionSite site, SqlStatement statement, SettingAssignment setting, MethodAnalysis analysis)
        {
            var properties = ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Setting, setting.Name);
            var followedByWork = false;
            var statements = site.Sql!.Script.Statements;
            for (var i = statement.Index + 1; i < statements.Length && !followedByWork; i++)
            {
                followedByWork = SqlRules.IsWork(statements[i]);
            }

            var state = site.Connection is null ? null : analysis.Flow.StateBefore(site.Syntax)?[site.Connection];
            if (followedByWork || state?.Transaction == TransactionState.Open || (state?.Transaction == TransactionState.Unknown && site.Transaction is not null))
            {
                return properties.Add(FixProperties.LocalFix, "local");
            }

            if (state?.Transaction == TransactionState.None && site.Kind is SiteKind.Dapper or SiteKind.Command or SiteKind.EfCore)
            {
                return FixProperties.ForSite(site, analysis.Options, transaction: null, transactionOpen: false)
                    .SetItem(FixProperties.LocalFix, "wrap")
                    .SetItem(FixProperties.Setting, setting.Name);
            }

            return properties;
        }
    }
}
