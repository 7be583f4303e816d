using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Catalog;

namespace TenantGuard.Analyzers.Options
{
    /// <summary>
    /// TenantGuard's options, read from .editorconfig / .globalconfig (keys begin with <c>tenantguard.</c>).
    /// See docs/configuration.md.
    /// </summary>
    internal sealed class TenantGuardOptions
    {
        public const string Prefix = "tenantguard.";
        public const string TenantTablesKey = Prefix + "tenant_tables";
        public const string TenantColumnsKey = Prefix + "tenant_columns";
        public const string TenantSettingsKey = Prefix + "tenant_settings";
        public const string AssumeContextOnParametersKey = Prefix + "assume_context_on_parameters";
        public const string EfCoreContextKey = Prefix + "efcore_context";
        public const string FlagAtPlaceholderCastsKey = Prefix + "flag_at_placeholder_casts";
        public const string NetworkTypesKey = Prefix + "network_types";
        public const string AnalyzePlainAdoNetKey = Prefix + "analyze_plain_adonet";
        public const string AppRolesKey = Prefix + "app_roles";

        /// <summary>The setting a tenant app sets when nothing else says which: no migrations, no configuration.</summary>
        public const string DefaultTenantSetting = "app.tenant_id";

        /// <summary>
        /// Every <c>tenantguard.*</c> option (docs/configuration.md documents each; the registry lists these), the ones
        /// the options of a file are made from among them.
        /// </summary>
        public static ImmutableArray<string> Keys { get; } = ImmutableArray.Create(
            TenantTablesKey, TenantColumnsKey, TenantSettingsKey, AssumeContextOnParametersKey, EfCoreContextKey,
            FlagAtPlaceholderCastsKey, NetworkTypesKey, AppRolesKey, AnalyzePlainAdoNetKey);

        /// <summary>
        /// What a file's configuration sets of TenantGuard's keys (<see cref="Keys"/>), as one string: files whose
        /// configurations give the same string get the same options. The compiler hands every file a configuration object
        /// of its own, even when the same sections apply to all of them.
        /// </summary>
        internal static string Signature(AnalyzerConfigOptions options)
        {
            var signature = new System.Text.StringBuilder();
            foreach (var key in Keys)
            {
                signature.Append(options.TryGetValue(key, out var value) ? "+" + value : "-").Append('\0');
            }

            return signature.ToString();
        }

        /// <summary>How many settings the flow tracks one by one (a bit each).</summary>
        public const int MaxTrackedSettings = 64;

        /// <param name="tenantInterceptor">Whether the compilation has an EF Core interceptor that applies a tenant setting (for <c>efcore_context = auto</c>).</param>
        public TenantGuardOptions(AnalyzerConfigOptions options, PolicyCatalog catalog, bool tenantInterceptor = false)
        {
            Catalog = catalog;
            ConfiguredTenantTables = ReadList(options, TenantTablesKey, ImmutableHashSet<string>.Empty);
            TenantTables = ConfiguredTenantTables.Union(catalog.RlsTables);
            TenantColumns = options.TryGetValue(TenantColumnsKey, out _)
                ? ReadList(options, TenantColumnsKey, ImmutableHashSet<string>.Empty)
                : PolicyTenantColumns(catalog).Add("tenant_id");
            SettingsConfigured = options.TryGetValue(TenantSettingsKey, out _);
            TenantSettings = SettingsConfigured
                ? ReadList(options, TenantSettingsKey, ImmutableHashSet<string>.Empty)
                : catalog.PolicySettings.Count > 0 ? catalog.PolicySettings : ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, DefaultTenantSetting);
            AssumeContextOnParameters = ReadBool(options, AssumeContextOnParametersKey, true);
            FlagAtPlaceholderCasts = ReadBool(options, FlagAtPlaceholderCastsKey, false);
            var mode = options.TryGetValue(EfCoreContextKey, out var configured) ? configured.Trim() : "auto";
            EfCoreContext = mode.Equals("explicit", StringComparison.OrdinalIgnoreCase) ? EfCoreContextMode.Explicit
                : mode.Equals("interceptor", StringComparison.OrdinalIgnoreCase) ? EfCoreContextMode.Interceptor
                : tenantInterceptor ? EfCoreContextMode.Interceptor
                : EfCoreContextMode.Explicit;
            NetworkTypes = ReadList(options, NetworkTypesKey, ImmutableHashSet<string>.Empty, StringComparer.Ordinal);
            AppRoles = ReadList(options, AppRolesKey, ImmutableHashSet<string>.Empty);

            var index = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var setting in TenantSettings.OrderBy(s => s, StringComparer.OrdinalIgnoreCase))
            {
                if (index.Count < MaxTrackedSettings)
                {
                    index[setting] = index.Count;
                }
            }

            SettingIndex = index.ToImmutable();
        }

        /// <summary>What the migrations say about row-level security (empty without migrations).</summary>
        public PolicyCatalog Catalog { get; }

        /// <summary>Whether <c>tenantguard.tenant_settings</c> is set: then it alone says which settings count.</summary>
        public bool SettingsConfigured { get; }

        /// <summary>The bit of each tenant setting in a set of settings (<c>Summaries.SettingSet</c>).</summary>
        public ImmutableDictionary<string, int> SettingIndex { get; }

        /// <summary>The tables of <c>tenantguard.tenant_tables</c> alone.</summary>
        public ImmutableHashSet<string> ConfiguredTenantTables { get; }

        /// <summary>Tables whose rows belong to a tenant (configured, plus those migrations put under RLS).</summary>
        public ImmutableHashSet<string> TenantTables { get; }

        /// <summary>Columns that hold the tenant key; SQL naming one is tenant-scoped.</summary>
        public ImmutableHashSet<string> TenantColumns { get; }

        /// <summary>
        /// The settings that make the tenant context: <c>tenantguard.tenant_settings</c> when set; otherwise every
        /// setting the migrations' policies read; otherwise <c>app.tenant_id</c>.
        /// </summary>
        public ImmutableHashSet<string> TenantSettings { get; }

        /// <summary>
        /// Whether settings are also recognized by their names (<see cref="NamesTenant"/>): <c>tenantguard.tenant_settings</c>
        /// is not set and no policy of the migrations reads a setting, so nothing else says which settings carry the tenant.
        /// </summary>
        public bool SettingsByName => !SettingsConfigured && Catalog.PolicySettings.Count == 0;

        /// <summary>
        /// Whether a setting carries the tenant context: one of <see cref="TenantSettings"/>, or, where nothing says which
        /// settings do (<see cref="SettingsByName"/>), a custom setting whose name says so (<c>app.current_tenant</c>).
        /// </summary>
        public bool IsTenantSetting(string name) => TenantSettings.Contains(name) || (SettingsByName && NamesTenant(name));

        /// <summary>
        /// A custom setting (<c>prefix.name</c>) whose name says tenant, organization, company, workspace or account
        /// (<c>app.current_tenant</c>, <c>app.org_id</c>, <c>myapp.company</c>, <c>app.workspaceId</c>).
        /// </summary>
        public static bool NamesTenant(string name)
        {
            var dot = name.IndexOf('.');
            if (dot <= 0 || dot == name.Length - 1)
            {
                return false;
            }

            var start = dot + 1;
            for (var i = start; i <= name.Length; i++)
            {
                // Words of the name: separated by '.', '_', '-', or a lower-case letter followed by an upper-case one.
                var end = i == name.Length || name[i] is '.' or '_' or '-' || (char.IsUpper(name[i]) && i > start && char.IsLower(name[i - 1]));
                if (!end)
                {
                    continue;
                }

                if (i > start && IsTenantWord(name.Substring(start, i - start).ToLowerInvariant()))
                {
                    return true;
                }

                start = i < name.Length && name[i] is '.' or '_' or '-' ? i + 1 : i;
            }

            return false;
        }

        /// <summary>
        /// The columns the catalog's policies compare with a setting, where the setting or the column names a tenant
        /// (<c>"TenantId" = current_setting('app.tenant_id')</c>, <c>id_tenant = app_tenant_actual()</c>,
        /// <c>org_id = current_setting('app.current_org')</c>): without <c>tenantguard.tenant_columns</c>, these are the
        /// tenant columns along with <c>tenant_id</c>, so that EF Core's <c>TenantId</c> needs no configuration.
        /// </summary>
        private static ImmutableHashSet<string> PolicyTenantColumns(PolicyCatalog catalog)
        {
            var result = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var table in catalog.Tables.Values)
            {
                foreach (var policy in table.Policies)
                {
                    foreach (var expression in policy.Expressions)
                    {
                        foreach (var pair in expression.Columns)
                        {
                            if (NamesTenant(pair.Key) || NamesTenant("column." + pair.Value))
                            {
                                result.Add(pair.Value);
                            }
                        }
                    }
                }
            }

            return result.ToImmutable();
        }

        private static bool IsTenantWord(string word)
        {
            foreach (var stem in TenantWords)
            {
                if (word.StartsWith(stem, StringComparison.Ordinal))
                {
                    var rest = word.Substring(stem.Length);
                    if (rest.Length == 0 || rest is "s" or "id" or "ids" or "uuid" or "key" or "slug" or "code" or "name")
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static readonly string[] TenantWords = { "tenant", "org", "organization", "organisation", "company", "workspace", "account" };

        public bool AssumeContextOnParameters { get; }

        public bool FlagAtPlaceholderCasts { get; }

        public EfCoreContextMode EfCoreContext { get; }

        /// <summary>The database roles the application connects as (<c>tenantguard.app_roles</c>); empty when not set.</summary>
        public ImmutableHashSet<string> AppRoles { get; }

        /// <summary>Fully qualified names of further types whose calls go over the network (TG1005).</summary>
        public ImmutableHashSet<string> NetworkTypes { get; }

        public static bool ReadBool(AnalyzerConfigOptions options, string key, bool defaultValue) =>
            options.TryGetValue(key, out var value) && bool.TryParse(value.Trim(), out var parsed) ? parsed : defaultValue;

        private static ImmutableHashSet<string> ReadList(AnalyzerConfigOptions options, string key, ImmutableHashSet<string> defaultValue, StringComparer? comparer = null)
        {
            if (!options.TryGetValue(key, out var value))
            {
                return defaultValue;
            }

            var builder = ImmutableHashSet.CreateBuilder(comparer ?? StringComparer.OrdinalIgnoreCase);
            foreach (var part in value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var name = part.Trim();
                if (name.Length > 0)
                {
                    builder.Add(name);
                }
            }

            return builder.ToImmutable();
        }
    }
}
