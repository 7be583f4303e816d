using System;

namespace TenantGuard.Rls
{
    /// <summary>Who the work runs for: the tenant, and optionally an application role that policies may read.</summary>
    public sealed class TenantContext
    {
        /// <param name="tenantId">The tenant's id as the policies compare it (a uuid, a number, a slug), as text.</param>
        /// <param name="role">An optional role for policies that read one (for example <c>app.role</c>).</param>
        public TenantContext(string tenantId, string? role = null)
        {
            if (string.IsNullOrEmpty(tenantId))
            {
                throw new ArgumentException("A tenant id is required.", nameof(tenantId));
            }

            TenantId = tenantId;
            Role = role;
        }

        /// <summary>The tenant's id as text.</summary>
        public string TenantId { get; }

        /// <summary>The application role, or null.</summary>
        public string? Role { get; }

        /// <summary>A context for a tenant whose id is a uuid.</summary>
        public static TenantContext For(Guid tenantId, string? role = null) => new(tenantId.ToString(), role);
    }
}
