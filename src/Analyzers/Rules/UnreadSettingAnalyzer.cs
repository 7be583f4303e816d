using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
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

    /// <summary>TG1013's judgement of one applied setting, shared by every place a setting is applied.</summary>
    internal static class UnreadSettings
    {
        /// <summary>How many of the settings the policies read a message names.</summary>
        private const int Listed = 5;

        /// <summary>
        /// Whether the migrations say enough: their policies read settings, and none of them calls a function the
        /// migrations do not define (it might read any setting).
        /// </summary>
        public static bool CanJudge(TenantGuardOptions options)
        {
            var catalog = options.Catalog;
            if (catalog.PolicySettings.Count == 0)
            {
                return false;
            }

            foreach (var table in catalog.Tables.Values)
            {
                foreach (var policy in table.Policies)
                {
                    if (policy.Using is { Functions.IsEmpty: false } || policy.WithCheck is { Functions.IsEmpty: false })
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>
        /// The finding for a setting the code applies, or null. Reported when it is a custom setting (<c>prefix.name</c>)
        /// that no policy and no function of the migrations reads, <c>tenantguard.tenant_settings</c> does not list, and
        /// either it names a tenant while a setting the policies read names one too, or it is the tenant setting by
        /// construction (<paramref name="tenantSetting"/>) or the only setting its execution applies, and it is a
        /// variant of a setting the policies read (<see cref="IsVariant"/>).
        /// </summary>
        public static Finding? Judge(string name, bool alone, bool tenantSetting, TenantGuardOptions options)
        {
            var catalog = options.Catalog;
            if (name.IndexOf('.') <= 0 || catalog.PolicySettings.Contains(name)
                || (options.SettingsConfigured && options.TenantSettings.Contains(name))
                || ReadByFunction(name, options))
            {
                return null;
            }

            var read = catalog.PolicySettings.OrderBy(s => s, StringComparer.Ordinal).ToList();
            var variants = read.Where(r => IsVariant(name, r)).ToList();
            var tenantRead = read.Where(TenantGuardOptions.NamesTenant).ToList();
            string? intent;
            if (TenantGuardOptions.NamesTenant(name) && tenantRead.Count > 0)
            {
                intent = variants.Count == 1 ? variants[0] : variants.Count == 0 && tenantRead.Count == 1 ? tenantRead[0] : null;
            }
            else if ((tenantSetting || alone) && variants.Count > 0)
            {
                intent = variants.Count == 1 ? variants[0] : null;
            }
            else if (tenantSetting && read.Count == 1)
            {
                intent = read[0];
            }
            else
            {
                return null;
            }

            return new Finding(name, read, intent);
        }

        /// <summary>
        /// Whether a set setting and a read setting look like two spellings of one name: the same words apart from
        /// <c>_</c>, <c>-</c> and case (<c>app.tenantId</c>, <c>app.tenant_id</c>; the prefix may differ), or the same
        /// prefix and one name's words begin or end the other's (<c>app.current_tenant</c>, <c>app.current_tenant_id</c>;
        /// <c>app.tenant_id</c>, <c>app.current_tenant_id</c>).
        /// </summary>
        public static bool IsVariant(string set, string read)
        {
            var setDot = set.IndexOf('.');
            var readDot = read.IndexOf('.');
            if (setDot <= 0 || readDot <= 0)
            {
                return false;
            }

            var a = Words(set.Substring(setDot + 1));
            var b = Words(read.Substring(readDot + 1));
            if (a.Length == 0 || b.Length == 0)
            {
                return false;
            }

            if (a == b)
            {
                return true;
            }

            if (!set.Substring(0, setDot).Equals(read.Substring(0, readDot), StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            return a.StartsWith(b, StringComparison.Ordinal) || a.EndsWith(b, StringComparison.Ordinal)
                || b.StartsWith(a, StringComparison.Ordinal) || b.EndsWith(a, StringComparison.Ordinal);
        }

        private static string Words(string name)
        {
            var builder = new System.Text.StringBuilder(name.Length);
            foreach (var c in name)
            {
                if (c is not ('_' or '-' or '.'))
                {
                    builder.Append(char.ToLowerInvariant(c));
                }
            }

            return builder.ToString();
        }

        /// <summary>A function of the migrations reads it (a trigger's, a default's): the setting is used on purpose.</summary>
        private static bool ReadByFunction(string name, TenantGuardOptions options)
        {
            foreach (var pair in options.Catalog.Functions)
            {
                foreach (var setting in pair.Value)
                {
                    if (setting.Equals(name, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        internal sealed class Finding
        {
            public Finding(string setting, List<string> read, string? intent)
            {
                Setting = setting;
                Read = read;
                Intent = intent;
            }

            public string Setting { get; }

            public List<string> Read { get; }

            /// <summary>The setting the code evidently meant, when exactly one is; the fix renames to it.</summary>
            public string? Intent { get; }

            public Diagnostic Create(Location location, string api)
            {
                var listed = Read.Count <= Listed
                    ? SiteSql.QuotedList(Read)
                    : string.Join(", ", Read.Take(Listed).Select(r => "'" + r + "'")) + $" and {Read.Count - Listed} more";
                var advice = Intent is not null
                    ? $"set '{Intent}' instead"
                    : "set the one the policies read";
                var properties = ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Setting, Setting);
                if (Intent is not null)
                {
                    properties = properties.Add(FixProperties.Rename, Intent);
                }

                return Diagnostic.Create(Descriptors.TG1013_UnreadSetting, location, properties, api, Setting, listed, advice);
            }
        }
    }
}
