using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1001: tenant-scoped SQL executed where the tenant setting is not in effect on every path.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MissingTenantContextAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1001_MissingTenantContext);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var options = analysis.Options;
            foreach (var site in analysis.Model.Sites)
            {
                if (site.Sql is null || site.Connection is null || (site.Kind == SiteKind.EfCore && options.EfCoreContext == EfCoreContextMode.Interceptor))
                {
                    continue;
                }

                var before = analysis.Flow.StateBefore(site.Syntax);
                if (before is null)
                {
                    continue;
                }

                string? scopedName = null;
                var failing = default(ConnectionState);
                var failingIndex = -1;
                SiteSimulation.Apply(site, before[site.Connection], options, (statement, state, _) =>
                {
                    if (scopedName is null && !state.HasContext && SqlRules.IsTenantScoped(statement, options, out var name))
                    {
                        scopedName = name;
                        failing = state;
                        failingIndex = statement.Index;
                    }
                });

                if (scopedName is not null)
                {
                    var connectionState = before[site.Connection];
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TG1001_MissingTenantContext,
                        site.Location,
                        FixProperties.ForSite(site, options, analysis.Model.TransactionNameFor(site), connectionState.Transaction == TransactionState.Open),
                        site.ApiName,
                        scopedName,
                        Reason(site, failing, failingIndex, analysis)));
                }
            }
        }

        private static string Reason(ExecutionSite site, ConnectionState state, int statementIndex, MethodAnalysis analysis)
        {
            if (site.Kind == SiteKind.DataSourceCommand)
            {
                return "a data-source command runs on its own pooled connection, which never carries a setting made on another connection; set it in the same command text or batch, or use one connection with a transaction";
            }

            if (state.Context == ContextState.Maybe)
            {
                return "the setting is not applied on every path that reaches it";
            }

            if (state.Context == ContextState.Expired)
            {
                switch (state.Expiry)
                {
                    case ExpiryReason.NoTransaction:
                        return "the earlier transaction-local setting ran with no explicit transaction and ended with its own command";
                    case ExpiryReason.TransactionEnded:
                        return "the transaction that carried the setting has ended (commit or rollback)";
                    case ExpiryReason.ConnectionClosed:
                        return "the connection was closed since then, and the pool reset it";
                    case ExpiryReason.Reset:
                        return "the setting was reset";
                }
            }

            var options = analysis.Options;
            var statements = site.Sql!.Script.Statements;
            for (var i = statementIndex + 1; i < statements.Length; i++)
            {
                if (SqlRules.SetsTenantSetting(statements[i], options))
                {
                    return "the setting comes after it in the same command text";
                }
            }

            ExecutionSite? elsewhere = null;
            foreach (var other in analysis.Model.Sites)
            {
                if (other == site || other.Connection is null || !SqlRules.SetsTenantSetting(other, options))
                {
                    continue;
                }

                if (other.Connection.Equals(site.Connection))
                {
                    if (other.Syntax.SpanStart > site.Syntax.SpanStart)
                    {
                        return $"the setting on this connection comes after it (line {SqlRules.Line(other.Syntax)})";
                    }
                }
                else
                {
                    elsewhere ??= other;
                }
            }

            return elsewhere is not null
                ? $"the setting is applied on another connection ('{elsewhere.Connection!.Name}', line {SqlRules.Line(elsewhere.Syntax)})"
                : "no tenant setting is applied on this connection before it";
        }
    }
}
