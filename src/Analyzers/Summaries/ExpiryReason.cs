namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>Why a tenant setting applied earlier is no longer in effect.</summary>
    internal enum ExpiryReason : byte
    {
        None,

        /// <summary>A transaction-local setting ran without an explicit transaction (autocommit).</summary>
        NoTransaction,

        /// <summary>The transaction that carried it committed or rolled back.</summary>
        TransactionEnded,

        /// <summary>The connection was closed and reset by the pool.</summary>
        ConnectionClosed,

        /// <summary>RESET / DISCARD.</summary>
        Reset,
    }
}
