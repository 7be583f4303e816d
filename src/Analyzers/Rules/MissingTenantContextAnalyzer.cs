using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1001: tenant-scoped SQL executed where the tenant setting is not in effect on every path.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class MissingTenantContextAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1001_MissingTenantContext);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            foreach (var site in analysis.Model.Sites)
            {
                Check(context, analysis, site);
            }

            foreach (var site in analysis.HelperSites)
            {
                Check(context, analysis, site);
            }
        }

        private static void Check(OperationBlockAnalysisContext context, MethodAnalysis analysis, ExecutionSite site)
        {
            var options = analysis.Options;
            if (site.Sql is null || site.Connection is null || !SiteSql.MayTouchTenantRows(site.Sql, options)
                || analysis.Flow.StateBefore(site.Syntax) is not { } before
                || MissingContext.Find(site, before[site.Connection], options) is not { } found)
            {
                return;
            }

            var connectionState = before[site.Connection];
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TG1001_MissingTenantContext,
                site.Location,
                WithExpiry(FixProperties.ForSite(site, options, analysis.Model.TransactionNameFor(site), TransactionIsOpen(site, connectionState), found.Missing), found.Failing),
                site.ApiName,
                found.Table,
                What(found.Missing),
                Through(site) + Reason(site, found.Failing, found.StatementIndex, found.Missing, analysis)));
        }

        /// <summary>For a helper call: which execution inside it runs the SQL, and the path to it.</summary>
        private static string Through(ExecutionSite site)
        {
            if (site.Kind != SiteKind.Helper)
            {
                return string.Empty;
            }

            var path = new System.Text.StringBuilder();
            for (var via = site.Via; via is not null && via.Kind == SiteKind.Helper; via = via.Via)
            {
                path.Append(via.ApiName).Append(", which calls ");
            }

            var inner = site.Innermost;
            var text = System.Text.RegularExpressions.Regex.Replace(inner.Sql!.Text.Trim(), @"\s+", " ");
            if (text.Length > 60)
            {
                text = text.Substring(0, 57) + "...";
            }

            var line = inner.Syntax.SyntaxTree.GetLineSpan(inner.Syntax.Span).StartLinePosition.Line + 1;
            return $"it runs {path}{inner.ApiName} with '{text}' ({System.IO.Path.GetFileName(inner.Syntax.SyntaxTree.FilePath)} line {line}) on the connection it is given, and ";
        }

        private static ImmutableDictionary<string, string?> WithExpiry(ImmutableDictionary<string, string?> properties, ConnectionState state) =>
            state.Context == ContextState.Expired ? properties.SetItem(FixProperties.Expiry, state.Expiry.ToString()) : properties;

        /// <summary>Open on every path, or the caller's (unknown state) and handed to the call.</summary>
        private static bool TransactionIsOpen(ExecutionSite site, ConnectionState state) =>
            state.Transaction == TransactionState.Open || (state.Transaction == TransactionState.Unknown && site.Transaction is not null);

        /// <summary>What is missing: "the tenant setting", or the settings a policy of the catalog reads.</summary>
        private static string What(MissingSettings? missing)
        {
            if (missing?.Policy is not { } policy || missing.Missing.IsEmpty)
            {
                return "the tenant setting";
            }

            return missing.Present.IsEmpty && missing.Missing.Length == policy.Settings.Length
                ? $"{SiteSql.QuotedList(missing.Missing)} (read by policy '{policy.Name}' on {policy.Table})"
                : $"{SiteSql.QuotedList(missing.Missing)} (policy '{policy.Name}' on {policy.Table} reads {SiteSql.QuotedList(policy.Settings)})";
        }

        private static string Reason(ExecutionSite site, ConnectionState state, int statementIndex, MissingSettings? missing, MethodAnalysis analysis)
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
                    case ExpiryReason.ConnectionClosed when site.Kind == SiteKind.EfCore:
                        return "EF Core closed the connection after the command that set it (the method opens neither the connection nor a transaction), and the pool reset it";
                    case ExpiryReason.ConnectionClosed:
                        return "the connection was closed since then, and the pool reset it";
                    case ExpiryReason.Reset:
                        return "the setting was reset";
                }
            }

            var options = analysis.Options;
            if (state.HasContext && missing is not null)
            {
                return $"it sets {SiteSql.QuotedList(state.Applied.Names(options))} but not {SiteSql.QuotedList(missing.Missing)}";
            }

            if (UnreadSetting(site, statementIndex, analysis) is { } unread)
            {
                return missing?.Policy is { } policy
                    ? $"it sets '{unread}', which no policy reads (the policies on {policy.Table} read {SiteSql.QuotedList(policy.Settings)})"
                    : $"it sets '{unread}', which no policy of the migrations reads";
            }

            var statements = site.Sql!.Script.Statements;
            for (var i = statementIndex + 1; i < statements.Length; i++)
            {
                if (SiteSql.SetsTenantSetting(statements[i], options))
                {
                    return "the setting comes after it in the same command text";
                }
            }

            ExecutionSite? elsewhere = null;
            foreach (var other in analysis.Model.Sites)
            {
                if (other == site || other.Connection is null || !SiteSql.SetsTenantSetting(other, options))
                {
                    continue;
                }

                if (other.Connection.Equals(site.Connection))
                {
                    if (other.Syntax.SpanStart > site.Syntax.SpanStart)
                    {
                        return $"the setting on this connection comes after it (line {SiteSql.Line(other.Syntax)})";
                    }
                }
                else
                {
                    elsewhere ??= other;
                }
            }

            if (state.Context == ContextState.None && site.Connection is { } received && analysis.Flow.WrapperOf(received) is { } wrapper)
            {
                return $"{wrapper.Name} applies no tenant setting before calling this";
            }

            if (elsewhere is not null)
            {
                return $"the setting is applied on another connection ('{elsewhere.Connection!.Name}', line {SiteSql.Line(elsewhere.Syntax)})";
            }

            return site.Connection is { } connection && (analysis.Summaries.FactoryOf(analysis.Model, connection) ?? analysis.Summaries.ReturningFactoryOf(analysis.Model, connection, options)) is { } factory
                ? $"the connection comes from {factory.ContainingType.Name}.{factory.Name}, which opens it and applies no tenant setting"
                : "no tenant setting is applied on this connection before it";
        }

        /// <summary>
        /// A custom setting (<c>app.tenant_id</c>) this connection sets before the statement that is not a tenant
        /// setting: where the migrations say which settings the policies read, setting another one is the mistake.
        /// </summary>
        private static string? UnreadSetting(ExecutionSite site, int statementIndex, MethodAnalysis analysis)
        {
            var options = analysis.Options;
            foreach (var other in analysis.Model.Sites)
            {
                if (other.Sql is null || other.Connection is null || !other.Connection.Equals(site.Connection) || other.Syntax.SpanStart > site.Syntax.SpanStart)
                {
                    continue;
                }

                foreach (var statement in other.Sql.Script.Statements)
                {
                    if (other == site && statement.Index >= statementIndex)
                    {
                        break;
                    }

                    foreach (var setting in statement.Settings)
                    {
                        if (SiteSimulation.IsUnreadCustomSetting(setting.Name, options))
                        {
                            return setting.Name;
                        }
                    }
                }
            }

            return null;
        }
    }
}
