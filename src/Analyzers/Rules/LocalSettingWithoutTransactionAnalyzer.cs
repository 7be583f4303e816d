using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>
    /// TG1007: set_config(..., true) or SET LOCAL executed where no explicit transaction is open (known on every
    /// path), with no work after it in the same command text or batch: autocommit ends it at once.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LocalSettingWithoutTransactionAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1007_LocalSettingWithoutTransaction);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            foreach (var site in analysis.Model.Sites)
            {
                if (site.Sql is null || site.Connection is null || !site.Sql.MayChangeSettings || !HasLocalSetting(site.Sql.Script) || analysis.Flow.StateBefore(site.Syntax) is not { } before)
                {
                    continue;
                }

                var state = before[site.Connection];
                if (state.Transaction != TransactionState.None)
                {
                    continue;
                }

                var statements = site.Sql.Script.Statements;
                string? useless = null;
                SiteSimulation.Apply(site, state, analysis.Options, (statement, _, inImplicitTransaction) =>
                {
                    if (useless is not null || !inImplicitTransaction || !IsLocalSetting(statement, out var display))
                    {
                        return;
                    }

                    for (var i = statement.Index + 1; i < statements.Length; i++)
                    {
                        if (SiteSql.IsWork(statements[i]))
                        {
                            return;
                        }
                    }

                    useless = display;
                });

                if (useless is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TG1007_LocalSettingWithoutTransaction,
                        site.Location,
                        FixProperties.ForSite(site, analysis.Options, transaction: null, transactionOpen: false),
                        useless,
                        site.ApiName));
                }
            }
        }

        private static bool HasLocalSetting(SqlScript script)
        {
            foreach (var statement in script.Statements)
            {
                if (IsLocalSetting(statement, out _))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsLocalSetting(SqlStatement statement, out string display)
        {
            foreach (var setting in statement.Settings)
            {
                if (setting.Scope == SettingScope.TransactionLocal)
                {
                    display = setting.IsSetStatement ? $"SET LOCAL {setting.Name}" : $"set_config('{setting.Name}', ..., true)";
                    return true;
                }
            }

            display = string.Empty;
            return false;
        }
    }
}
