using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>What a rule tells its code fix through <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>.</summary>
    internal static class FixProperties
    {
        /// <summary>The tenant setting to apply (<c>app.tenant_id</c>).</summary>
        public const string Setting = "setting";

        /// <summary>
        /// Every setting the fix must apply, one per line as <c>name</c>, a tab, and where its value comes from:
        /// <c>tenant</c> (the tenant id in scope), <c>literal</c> and a tab and the value the policy compares it with,
        /// or <c>named</c> (a symbol in scope named after the setting).
        /// </summary>
        public const string Settings = "settings";

        public const string TenantValue = "tenant";
        public const string LiteralValue = "literal";
        public const string NamedValue = "named";

        /// <summary>The name of the variable holding the connection (or DbContext).</summary>
        public const string Connection = "connection";

        /// <summary><c>dbcontext</c> when the connection is an EF Core context.</summary>
        public const string ConnectionKind = "connectionKind";

        /// <summary>The name of the transaction variable, when there is one.</summary>
        public const string Transaction = "transaction";

        /// <summary><c>true</c> when a transaction is open (on every path) at the site.</summary>
        public const string TransactionOpen = "transactionOpen";

        /// <summary>TG1008: <c>local</c> (rewrite the setting in place) or <c>wrap</c> (rewrite it and open a transaction).</summary>
        public const string LocalFix = "localFix";

        /// <summary>Why an earlier tenant setting no longer holds (<see cref="Summaries.ExpiryReason"/>), when it expired.</summary>
        public const string Expiry = "expiry";

        /// <summary>TG1013: the setting the policies read that the code evidently meant; the fix renames the set setting to it.</summary>
        public const string Rename = "rename";

        /// <summary>The execution API family: Command, Batch, DataSourceCommand, Dapper, EfCore.</summary>
        public const string SiteKind = "siteKind";

        /// <summary><c>true</c> when the SQL is one statement with one setting (a rewrite of the whole text is safe).</summary>
        public const string SingleStatement = "singleStatement";

        /// <summary>Schema rules: the text of the statement to replace (its first occurrence and any repeat in the statement)...</summary>
        public const string Find = "find";

        /// <summary>... and what replaces it.</summary>
        public const string Replace = "replace";

        /// <summary>Schema rules: a statement to add after the reported one (several, one per line).</summary>
        public const string Append = "append";

        /// <summary>Schema rules: the fix's title, where the statements to add do not say it in a line.</summary>
        public const string Title = "title";

        /// <summary>
        /// A name as PostgreSQL reads it back: bare when it is lower case and plain (<c>api_keys</c>), quoted otherwise
        /// (<c>"ApiKeys"</c>, as EF Core names tables by default).
        /// </summary>
        public static string SqlName(string name)
        {
            var plain = name.Length > 0 && (char.IsLower(name[0]) || name[0] == '_');
            foreach (var c in name)
            {
                plain &= (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            }

            return plain ? name : "\"" + name.Replace("\"", "\"\"") + "\"";
        }

        /// <summary>A table's name as SQL that names it: schema-qualified where the migrations qualify it, quoted where needed (<c>"Users"</c>).</summary>
        public static string SqlName(Catalog.CatalogTable table) =>
            (table.Schema is null ? string.Empty : SqlName(table.Schema) + ".") + SqlName(table.Name);

        /// <summary>The properties of a schema fix that replaces text inside the reported statement.</summary>
        public static ImmutableDictionary<string, string?> Replacing(string find, string replace) =>
            ImmutableDictionary<string, string?>.Empty.Add(Find, find).Add(Replace, replace);

        /// <summary>
        /// The setting that carries the tenant id: one a policy compares with a tenant column, else
        /// <c>app.tenant_id</c> when it is a tenant setting, else the first tenant setting by name.
        /// </summary>
        public static string PreferredSetting(TenantGuardOptions options)
        {
            foreach (var table in options.Catalog.Tables.Values.OrderBy(t => t.Name, System.StringComparer.Ordinal))
            {
                foreach (var policy in table.Policies)
                {
                    foreach (var expression in policy.Expressions)
                    {
                        foreach (var pair in expression.Columns)
                        {
                            if (options.TenantColumns.Contains(pair.Value) && options.TenantSettings.Contains(pair.Key))
                            {
                                return pair.Key;
                            }
                        }
                    }
                }
            }

            return options.TenantSettings.Contains(TenantGuardOptions.DefaultTenantSetting)
                ? TenantGuardOptions.DefaultTenantSetting
                : options.TenantSettings.OrderBy(s => s, System.StringComparer.Ordinal).FirstOrDefault() ?? TenantGuardOptions.DefaultTenantSetting;
        }

        /// <summary>The settings a fix must apply, and where the value of each comes from (see <see cref="Settings"/>).</summary>
        public static string SettingsToApply(MissingSettings? missing, TenantGuardOptions options)
        {
            if (missing?.Policy is not { } policy || missing.Missing.IsEmpty)
            {
                return PreferredSetting(options) + "\t" + TenantValue;
            }

            string? LiteralOf(string setting) =>
                policy.Using?.Literals.TryGetValue(setting, out var value) == true ? value
                : policy.WithCheck?.Literals.TryGetValue(setting, out value) == true ? value
                : null;

            string? ColumnOf(string setting) =>
                policy.Using?.Columns.TryGetValue(setting, out var column) == true ? column
                : policy.WithCheck?.Columns.TryGetValue(setting, out column) == true ? column
                : null;

            var valued = policy.Settings.Where(s => LiteralOf(s) is null).ToList();
            var tenant = valued.FirstOrDefault(s => ColumnOf(s) is { } column && options.TenantColumns.Contains(column))
                ?? valued.FirstOrDefault(s => s.IndexOf("tenant", System.StringComparison.OrdinalIgnoreCase) >= 0)
                ?? (valued.Count == 1 ? valued[0] : null);

            var lines = new List<string>();
            foreach (var setting in missing.Missing)
            {
                lines.Add(LiteralOf(setting) is { } literal ? setting + "\t" + LiteralValue + "\t" + literal
                    : setting == tenant ? setting + "\t" + TenantValue
                    : setting + "\t" + NamedValue);
            }

            return string.Join("\n", lines);
        }

        public static ImmutableDictionary<string, string?> ForSite(ExecutionSite site, TenantGuardOptions options, string? transaction, bool transactionOpen, MissingSettings? missing = null)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, string?>();
            builder[Settings] = SettingsToApply(missing, options);
            builder[Setting] = missing?.Policy is not null && !missing.Missing.IsEmpty ? missing.Missing[0] : PreferredSetting(options);
            builder[SiteKind] = site.Kind.ToString();
            if (site.Connection is { Symbol: { } symbol } connection && symbol is not Microsoft.CodeAnalysis.ITypeSymbol)
            {
                builder[Connection] = connection.Name; // conn, _connection, session.Connection
            }

            if (site.Connection?.Kind == ResourceKind.DbContext)
            {
                builder[ConnectionKind] = "dbcontext";
            }

            if (transaction is not null)
            {
                builder[Transaction] = transaction;
            }

            builder[TransactionOpen] = transactionOpen ? "true" : "false";
            return builder.ToImmutable();
        }
    }
}
