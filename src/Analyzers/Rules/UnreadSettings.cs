using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Rules
{
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
