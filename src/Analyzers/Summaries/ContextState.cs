namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>Whether a tenant setting is in effect on a connection.</summary>
    internal enum ContextState : byte
    {
        /// <summary>Never applied.</summary>
        None,

        /// <summary>Applied earlier, but no longer in effect (see <see cref="ExpiryReason"/>).</summary>
        Expired,

        /// <summary>Applied transaction-locally in the open transaction.</summary>
        TransactionLocal,

        /// <summary>Applied for the session.</summary>
        Session,

        /// <summary>Assumed applied by the caller (connection received from outside).</summary>
        Assumed,

        /// <summary>In effect on some paths only.</summary>
        Maybe,
    }
}
