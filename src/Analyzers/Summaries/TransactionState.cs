namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>Whether an explicit transaction is open on a connection.</summary>
    internal enum TransactionState : byte
    {
        None,
        Open,

        /// <summary>Open on some paths only.</summary>
        Maybe,

        /// <summary>Not known: the connection came from outside the method.</summary>
        Unknown,
    }
}
