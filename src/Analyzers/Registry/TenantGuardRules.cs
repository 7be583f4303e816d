using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Rules;
using TenantGuard.Analyzers.Rules.Schema;

namespace TenantGuard.Analyzers.Registry
{
    /// <summary>
    /// Every TenantGuard analyzer and rule, listed once. The code fixes, the audit tool, the tests, the benchmarks and the
    /// documentation generator (<c>tools/TenantGuard.DocGen</c>) take the analyzers and the rules from here; a test checks
    /// that nothing in the assembly is left out. Adding a rule: its descriptor in <see cref="Descriptors"/>, its analyzer
    /// in <see cref="CreateAnalyzers"/> (when it is a new one), its line in <see cref="All"/>.
    /// </summary>
    public static class TenantGuardRules
    {
        /// <summary>A new instance of every TenantGuard analyzer, as the package loads them.</summary>
        public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers() => ImmutableArray.Create<DiagnosticAnalyzer>(
            new IncompleteCatalogAnalyzer(),
            new MissingTenantContextAnalyzer(),
            new PlaceholderCastAnalyzer(),
            new SwallowedDatabaseErrorAnalyzer(),
            new AbortedTransactionReuseAnalyzer(),
            new NetworkCallInTransactionAnalyzer(),
            new SetWithBindParameterAnalyzer(),
            new LocalSettingWithoutTransactionAnalyzer(),
            new SessionTenantSettingAnalyzer(),
            new SplicedTenantSettingAnalyzer(),
            new SecondTransactionAnalyzer(),
            new InterceptorTenantSettingAnalyzer(),
            new UnreadSettingAnalyzer(),
            new TableWithoutRlsAnalyzer(),
            new RlsNotForcedAnalyzer(),
            new NonIsolatingPolicyAnalyzer(),
            new RlsPolicyMismatchAnalyzer(),
            new UnsafeSettingReadAnalyzer(),
            new SettingReadPerRowAnalyzer(),
            new ForeignKeyAcrossTenantsAnalyzer(),
            new ViewBypassesRlsAnalyzer(),
            new PrivilegedAccessAnalyzer(),
            new TenantColumnNotIndexedAnalyzer(),
            new RejectedStatementAnalyzer());

        /// <summary>Every rule, by id.</summary>
        public static ImmutableArray<TenantGuardRule> All { get; } = ImmutableArray.Create(
            new TenantGuardRule(Descriptors.TG0002_IncompleteCatalog, typeof(IncompleteCatalogAnalyzer), hasFix: false, TenantGuardOptions.TenantTablesKey),
            new TenantGuardRule(
                Descriptors.TG1001_MissingTenantContext,
                typeof(MissingTenantContextAnalyzer),
                hasFix: true,
                TenantGuardOptions.TenantTablesKey,
                TenantGuardOptions.TenantColumnsKey,
                TenantGuardOptions.TenantSettingsKey,
                TenantGuardOptions.AssumeContextOnParametersKey,
                TenantGuardOptions.EfCoreContextKey),
            new TenantGuardRule(Descriptors.TG1002_PlaceholderCast, typeof(PlaceholderCastAnalyzer), hasFix: true, TenantGuardOptions.FlagAtPlaceholderCastsKey),
            new TenantGuardRule(Descriptors.TG1003_SwallowedDatabaseError, typeof(SwallowedDatabaseErrorAnalyzer), hasFix: true),
            new TenantGuardRule(Descriptors.TG1004_AbortedTransactionReused, typeof(AbortedTransactionReuseAnalyzer), hasFix: true),
            new TenantGuardRule(Descriptors.TG1005_NetworkCallInTransaction, typeof(NetworkCallInTransactionAnalyzer), hasFix: false, TenantGuardOptions.NetworkTypesKey),
            new TenantGuardRule(Descriptors.TG1006_SetWithBindParameter, typeof(SetWithBindParameterAnalyzer), hasFix: true),
            new TenantGuardRule(Descriptors.TG1007_LocalSettingWithoutTransaction, typeof(LocalSettingWithoutTransactionAnalyzer), hasFix: true, TenantGuardOptions.TenantSettingsKey, TenantGuardOptions.EfCoreContextKey),
            new TenantGuardRule(Descriptors.TG1008_SessionTenantSetting, typeof(SessionTenantSettingAnalyzer), hasFix: true, TenantGuardOptions.TenantSettingsKey),
            new TenantGuardRule(Descriptors.TG1009_SplicedTenantSetting, typeof(SplicedTenantSettingAnalyzer), hasFix: true, TenantGuardOptions.TenantSettingsKey),
            new TenantGuardRule(Descriptors.TG1010_SecondTransaction, typeof(SecondTransactionAnalyzer), hasFix: false),
            new TenantGuardRule(Descriptors.TG1011_InterceptorCannotApplySetting, typeof(InterceptorTenantSettingAnalyzer), hasFix: false, TenantGuardOptions.TenantSettingsKey),
            new TenantGuardRule(Descriptors.TG1012_SplicedTypedTenantValue, typeof(SplicedTenantSettingAnalyzer), hasFix: true, TenantGuardOptions.TenantSettingsKey),
            new TenantGuardRule(Descriptors.TG1013_UnreadSetting, typeof(UnreadSettingAnalyzer), hasFix: true, TenantGuardOptions.TenantSettingsKey),
            new TenantGuardRule(Descriptors.TG2001_TableWithoutRls, typeof(TableWithoutRlsAnalyzer), hasFix: true, TenantGuardOptions.TenantColumnsKey, TenantGuardOptions.TenantTablesKey),
            new TenantGuardRule(Descriptors.TG2002_RlsNotForced, typeof(RlsNotForcedAnalyzer), hasFix: true),
            new TenantGuardRule(Descriptors.TG2003_NonIsolatingPolicy, typeof(NonIsolatingPolicyAnalyzer), hasFix: false, TenantGuardOptions.TenantColumnsKey, TenantGuardOptions.TenantTablesKey, TenantGuardOptions.AppRolesKey),
            new TenantGuardRule(Descriptors.TG2004_RlsWithoutPolicy, typeof(RlsPolicyMismatchAnalyzer), hasFix: false),
            new TenantGuardRule(Descriptors.TG2005_UnsafeSettingRead, typeof(UnsafeSettingReadAnalyzer), hasFix: true),
            new TenantGuardRule(Descriptors.TG2006_SettingReadPerRow, typeof(SettingReadPerRowAnalyzer), hasFix: true),
            new TenantGuardRule(Descriptors.TG2007_ForeignKeyAcrossTenants, typeof(ForeignKeyAcrossTenantsAnalyzer), hasFix: false, TenantGuardOptions.TenantColumnsKey),
            new TenantGuardRule(Descriptors.TG2008_ViewBypassesRls, typeof(ViewBypassesRlsAnalyzer), hasFix: false, TenantGuardOptions.TenantColumnsKey, TenantGuardOptions.TenantTablesKey, TenantGuardOptions.TenantSettingsKey),
            new TenantGuardRule(Descriptors.TG2009_PrivilegedAccess, typeof(PrivilegedAccessAnalyzer), hasFix: false, TenantGuardOptions.AppRolesKey, TenantGuardOptions.TenantColumnsKey, TenantGuardOptions.TenantTablesKey),
            new TenantGuardRule(Descriptors.TG2010_TenantColumnNotIndexed, typeof(TenantColumnNotIndexedAnalyzer), hasFix: false, TenantGuardOptions.TenantColumnsKey),
            new TenantGuardRule(Descriptors.TG2011_RejectedStatement, typeof(RejectedStatementAnalyzer), hasFix: true));

        /// <summary>Every <c>tenantguard.*</c> option (docs/configuration.md documents each).</summary>
        public static ImmutableArray<string> OptionKeys => TenantGuardOptions.Keys;

        /// <summary>The options every code rule reads: they decide whether the code rules run at all.</summary>
        public static ImmutableArray<string> CodeRuleOptions { get; } = ImmutableArray.Create(TenantGuardOptions.AnalyzePlainAdoNetKey);

        /// <summary>The rule with this id, or null.</summary>
        public static TenantGuardRule? Find(string id)
        {
            foreach (var rule in All)
            {
                if (string.Equals(rule.Id, id, StringComparison.Ordinal))
                {
                    return rule;
                }
            }

            return null;
        }

        /// <summary>Whether the diagnostic judges the schema the migrations build (reported on the migrations).</summary>
        public static bool IsSchema(DiagnosticDescriptor descriptor) => descriptor.Category == RuleCategories.Schema;

        /// <summary>Whether the diagnostic judges the application's code.</summary>
        public static bool IsCode(DiagnosticDescriptor descriptor) => RuleCategories.IsCode(descriptor.Category);
    }
}
