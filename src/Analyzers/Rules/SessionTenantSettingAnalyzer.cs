using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;
using TenantGuard.Analyzers.Summaries;

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
            foreach (var (site, statement, setting) in SiteSql.TenantSettingAssignments(analysis.Model, analysis.Options))
            {
                if (setting.Scope != SettingScope.Session)
                {
                    continue;
                }

                var location = SiteSql.LocationOf(site, setting.Start, setting.End);
                if (reported.Add(location))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TG1008_SessionTenantSetting, location, Properties(site, statement, setting, analysis), setting.Name, Consequence(site, setting, analysis)));
                }
            }
        }

        /// <summary>
        /// What happens to the setting. Usually it outlives the request: behind a transaction-mode pooler or with No
        /// Reset On Close the next user inherits it. Through an EF Core context on which the method opens neither the
        /// connection nor a transaction, the opposite: EF Core opens the connection for this one command and closes it, the pool resets
        /// it, and the queries that follow run without the tenant.
        /// </summary>
        private static string Consequence(ExecutionSite site, SettingAssignment setting, MethodAnalysis analysis)
        {
            // An injected context (a field, a parameter) is no different: a DbContext opens its connection for each
            // command and closes it afterwards unless the code opens it (or a transaction) itself.
            if (site.Kind == SiteKind.EfCore && site.Connection is { } context
                && analysis.Flow.StateBefore(site.Syntax)?[context].Transaction is TransactionState.None or TransactionState.Unknown
                && !OpensConnectionBefore(site, context, analysis))
            {
                return $"EF Core opens the connection for this one command and closes it afterwards, and the pool resets it, so the queries that follow run without it; begin a transaction (Database.BeginTransaction) and set it in there with set_config('{setting.Name}', value, true)";
            }

            return $"behind a transaction-mode pooler, or with No Reset On Close, the next user of the server connection inherits it; set it transaction-locally with set_config('{setting.Name}', value, true)";
        }

        /// <summary>Whether the method opens the context's connection (Database.OpenConnection[Async]) before the site.</summary>
        private static bool OpensConnectionBefore(ExecutionSite site, ResourceKey context, MethodAnalysis analysis)
        {
            foreach (var operation in OperationHelpers.DescendantsInBody(analysis.Block))
            {
                if (operation is IInvocationOperation { TargetMethod.Name: "OpenConnection" or "OpenConnectionAsync" } open
                    && open.Syntax.SpanStart < site.Syntax.SpanStart
                    && context.Equals(analysis.Model.KeyOf(OperationHelpers.Receiver(open))))
                {
                    return true;
                }
            }

            return false;
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
                followedByWork = SiteSql.IsWork(statements[i]);
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
