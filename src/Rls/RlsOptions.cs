using System.Collections.Generic;
using System.Data;

namespace TenantGuard.Rls
{
    /// <summary>How <see cref="TenantDatabase"/> applies the tenant context.</summary>
    public sealed class RlsOptions
    {
        /// <summary>The setting the RLS policies read for the tenant. Default <c>app.tenant_id</c>.</summary>
        public string TenantSetting { get; set; } = "app.tenant_id";

        /// <summary>The setting the policies read for the role, when a <see cref="TenantContext.Role"/> is given. Default <c>app.role</c>.</summary>
        public string RoleSetting { get; set; } = "app.role";

        /// <summary>Further transaction-local settings applied with the tenant (same round trip).</summary>
        public IDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

        /// <summary>The isolation level of the transaction. Default ReadCommitted.</summary>
        public IsolationLevel IsolationLevel { get; set; } = IsolationLevel.ReadCommitted;

        /// <summary>
        /// Write the settings command with positional placeholders (<c>$1</c>) instead of named ones (<c>@tg_name0</c>),
        /// for providers or modes without named parameters (Npgsql with SQL rewriting turned off).
        /// </summary>
        public bool PositionalParameters { get; set; }
    }
}
