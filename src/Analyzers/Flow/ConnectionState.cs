using System;

namespace TenantGuard.Analyzers.Flow
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

    /// <summary>What is known of one connection at one point of a method.</summary>
    internal readonly struct ConnectionState : IEquatable<ConnectionState>
    {
        public ConnectionState(TransactionState transaction, ContextState context, ExpiryReason expiry = ExpiryReason.None)
        {
            Transaction = transaction;
            Context = context;
            Expiry = context == ContextState.Expired ? expiry : ExpiryReason.None;
        }

        public TransactionState Transaction { get; }

        public ContextState Context { get; }

        public ExpiryReason Expiry { get; }

        public bool HasContext => Context is ContextState.TransactionLocal or ContextState.Session or ContextState.Assumed;

        public bool TransactionMayBeOpen => Transaction is TransactionState.Open or TransactionState.Maybe;

        public ConnectionState With(TransactionState transaction) => new(transaction, Context, Expiry);

        public ConnectionState With(ContextState context, ExpiryReason expiry = ExpiryReason.None) => new(Transaction, context, expiry);

        /// <summary>The transaction ended: transaction-local settings end with it.</summary>
        public ConnectionState EndTransaction(ExpiryReason reason) =>
            new(TransactionState.None, Context == ContextState.TransactionLocal ? ContextState.Expired : Context, Context == ContextState.TransactionLocal ? reason : Expiry);

        public static ConnectionState Merge(ConnectionState a, ConnectionState b)
        {
            if (a.Equals(b))
            {
                return a;
            }

            // Unknown (the caller's) merged with None stays Unknown; merged with a transaction begun here it is
            // open on some path.
            var transaction = a.Transaction == b.Transaction ? a.Transaction
                : a.TransactionMayBeOpen || b.TransactionMayBeOpen ? TransactionState.Maybe
                : TransactionState.Unknown;

            ContextState context;
            var expiry = a.Expiry != ExpiryReason.None ? a.Expiry : b.Expiry;
            if (a.Context == b.Context)
            {
                context = a.Context;
            }
            else if (a.HasContext && b.HasContext)
            {
                context = a.Context == ContextState.TransactionLocal || b.Context == ContextState.TransactionLocal ? ContextState.TransactionLocal
                    : a.Context == ContextState.Session || b.Context == ContextState.Session ? ContextState.Session
                    : ContextState.Assumed;
            }
            else if (!a.HasContext && a.Context != ContextState.Maybe && !b.HasContext && b.Context != ContextState.Maybe)
            {
                context = ContextState.Expired;
            }
            else
            {
                context = ContextState.Maybe;
            }

            return new ConnectionState(transaction, context, expiry);
        }

        public bool Equals(ConnectionState other) => Transaction == other.Transaction && Context == other.Context && Expiry == other.Expiry;

        public override bool Equals(object? obj) => obj is ConnectionState other && Equals(other);

        public override int GetHashCode() => ((int)Transaction << 16) | ((int)Context << 8) | (int)Expiry;

        public override string ToString() => $"tx={Transaction}, ctx={Context}" + (Expiry == ExpiryReason.None ? string.Empty : $" ({Expiry})");
    }
}
