using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>
    /// TG1013: code applies a setting that no policy of the migrations reads, while the policies read others
    /// (<c>app.current_tenant</c> set, <c>app.current_tenant_id</c> read): row-level security never sees the tenant.
    /// Reads every setting an execution of the method applies (<c>SET</c>, <c>set_config</c>, through any API, in
    /// interceptors and helpers alike, and in text a helper of the project writes), and
    /// <c>TenantGuard.Rls.RlsOptions.TenantSetting</c>. See docs/rules/TG1013.md for the exact rule.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UnreadSettingAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1013_UnreadSetting);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var options = analysis.Options;
            if (!UnreadSettings.CanJudge(options))
            {
                return;
            }

            var assignments = new List<(ExecutionSite Site, SettingAssignment Setting)>();
            foreach (var (site, statement) in SiteSql.Statements(analysis.Model, settingsOnly: true))
            {
                foreach (var setting in statement.Settings)
                {
                    if (setting.Name is null)
                    {
                        continue;
                    }

                    // A method that applies a setting the policies read has its tenant context; what else it sets
                    // (app.user_id for an audit trigger, app.tenant_name for logs) is its own business.
                    if (options.Catalog.PolicySettings.Contains(setting.Name))
                    {
                        return;
                    }

                    assignments.Add((site, setting));
                }
            }

            var reported = new HashSet<Location>();
            foreach (var (site, setting) in assignments)
            {
                var alone = site.Sql is { } sql && CountSettings(sql.Script) == 1;
                if (UnreadSettings.Judge(setting.Name!, alone, tenantSetting: false, options) is not { } finding)
                {
                    continue;
                }

                var location = setting.NameStart >= 0
                    ? SiteSql.LocationOf(site, setting.NameStart, setting.NameEnd)
                    : SiteSql.LocationOf(site, setting.Start, setting.End);
                if (reported.Add(location))
                {
                    context.ReportDiagnostic(finding.Create(location, site.ApiName));
                }
            }
        }

        private static int CountSettings(SqlScript script)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var statement in script.Statements)
            {
                foreach (var setting in statement.Settings)
                {
                    names.Add(setting.Name ?? "?");
                }
            }

            return names.Count;
        }

        /// <summary>TenantGuard.Rls: <c>new RlsOptions { TenantSetting = "app.current_tenant" }</c> names the tenant setting its wrapper applies.</summary>
        private protected override Action<OperationAnalysisContext>? OperationAction(Compilation compilation, AnalysisEnvironment environment, out ImmutableArray<OperationKind> kinds)
        {
            kinds = ImmutableArray.Create(OperationKind.SimpleAssignment);
            if (compilation.GetBestTypeByMetadataName("TenantGuard.Rls.RlsOptions") is not { } rlsOptions)
            {
                return null;
            }

            return context =>
                {
                    var assignment = (IAssignmentOperation)context.Operation;
                    if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "TenantSetting" } property }
                        || !SymbolEqualityComparer.Default.Equals(property.ContainingType, rlsOptions)
                        || assignment.Value.ConstantValue is not { HasValue: true, Value: string name })
                    {
                        return;
                    }

                    var options = environment.OptionsFor(context.Options, assignment.Syntax.SyntaxTree);
                    if (UnreadSettings.CanJudge(options)
                        && UnreadSettings.Judge(name.Trim().ToLowerInvariant(), alone: true, tenantSetting: true, options) is { } finding)
                    {
                        context.ReportDiagnostic(finding.Create(Unwrap(assignment.Value).Syntax.GetLocation(), "RlsOptions.TenantSetting"));
                    }
                };
        }

        private static IOperation Unwrap(IOperation operation)
        {
            while (operation is IConversionOperation { IsImplicit: true } conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }
    }
}
