using System.Collections.Immutable;
using System.Linq;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>What a rule tells its code fix through <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>.</summary>
    internal static class FixProperties
    {
        /// <summary>The tenant setting to apply (<c>app.tenant_id</c>).</summary>
        public const string Setting = "setting";

        /// <summary>The name of the variable holding the connection (or DbContext).</summary>
        public const string Connection = "connection";

        /// <summary><c>dbcontext</c> when the connection is an EF Core context.</summary>
        public const string ConnectionKind = "connectionKind";

        /// <summary>The name of the transaction variable, when there is one.</summary>
        public const string Transaction = "transaction";

        /// <summary><c>true</c> when a transaction is open (on every path) at the site.</summary>
        public const string TransactionOpen = "transactionOpen";

        /// <summary>The execution API family: Command, Batch, DataSourceCommand, Dapper, EfCore.</summary>
        public const string SiteKind = "siteKind";

        /// <summary><c>true</c> when the SQL is one statement with one setting (a rewrite of the whole text is safe).</summary>
        public const string SingleStatement = "singleStatement";

        public static string PreferredSetting(TenantGuardOptions options) =>
            options.TenantSettings.Contains("app.tenant_id") ? "app.tenant_id" : options.TenantSettings.OrderBy(s => s, System.StringComparer.Ordinal).FirstOrDefault() ?? "app.tenant_id";

        public static ImmutableDictionary<string, string?> ForSite(ExecutionSite site, TenantGuardOptions options, string? transaction, bool transactionOpen)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, string?>();
            builder[Setting] = PreferredSetting(options);
            builder[SiteKind] = site.Kind.ToString();
            if (site.Connection?.Symbol is { } connection && connection is not Microsoft.CodeAnalysis.ITypeSymbol)
            {
                builder[Connection] = connection.Name;
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
