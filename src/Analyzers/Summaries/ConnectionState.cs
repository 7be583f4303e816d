using System;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>What is known of one connection at one point of a method.</summary>
    internal readonly struct ConnectionState : IEquatable<ConnectionState>
    {
        public ConnectionState(TransactionState transaction, ContextState context, ExpiryReason expiry = ExpiryReason.None)
            : this(transaction, context, expiry, context == ContextState.Assumed ? SettingSet.All : SettingSet.Empty, context == ContextState.Assumed ? SettingSet.All : SettingSet.Empty)
        {
        }

        private ConnectionState(TransactionState transaction, ContextState context, ExpiryReason expiry, SettingSet applied, SettingSet session, bool held = false, bool additive = false)
        {
            Held = held;
            Additive = additive && context == ContextState.Assumed;
            Transaction = transaction;
            Context = context;
            Expiry = context == ContextState.Expired ? expiry : ExpiryReason.None;
            var hasContext = context is ContextState.TransactionLocal or ContextState.Session or ContextState.Assumed;
            Applied = hasContext ? applied : SettingSet.Empty;
            SessionApplied = hasContext ? session : SettingSet.Empty;
        }

        public TransactionState Transaction { get; }

        /// <summary>
        /// An EF Core context's connection was opened by the code (<c>Database.OpenConnection</c>) on every path, so it
        /// stays open between commands. Otherwise EF Core opens it for each command outside a transaction and closes it.
        /// </summary>
        public bool Held { get; }

        /// <summary>
        /// The context is assumed, and a setting applied here adds to it instead of replacing it: a connection a lambda
        /// receives or captures (a callback of a wrapper that TenantGuard cannot read, which may well have applied the
        /// tenant before invoking it) setting <c>app.user_id</c> on top.
        /// </summary>
        public bool Additive { get; }

        /// <summary>The assumed context, to which the settings applied here add (<see cref="Additive"/>).</summary>
        public static ConnectionState AssumedAdditive(TransactionState transaction) =>
            new(transaction, ContextState.Assumed, ExpiryReason.None, SettingSet.All, SettingSet.All, held: false, additive: true);

        /// <summary>The connection opened by the code: held open between commands.</summary>
        public ConnectionState Open() => new(Transaction, Context, Expiry, Applied, SessionApplied, held: true, Additive);

        public ContextState Context { get; }

        public ExpiryReason Expiry { get; }

        /// <summary>The tenant settings in effect on every path (all of them when the context is assumed).</summary>
        public SettingSet Applied { get; }

        /// <summary>The part of <see cref="Applied"/> set for the whole session, which outlives the transaction.</summary>
        public SettingSet SessionApplied { get; }

        public bool HasContext => Context is ContextState.TransactionLocal or ContextState.Session or ContextState.Assumed;

        public bool TransactionMayBeOpen => Transaction is TransactionState.Open or TransactionState.Maybe;

        public ConnectionState With(TransactionState transaction) => new(transaction, Context, Expiry, Applied, SessionApplied, Held, Additive);

        public ConnectionState With(ContextState context, ExpiryReason expiry = ExpiryReason.None) =>
            context == ContextState.Assumed ? new(Transaction, context, expiry, SettingSet.All, SettingSet.All, Held, Additive) : new(Transaction, context, expiry, Applied, SessionApplied, Held);

        /// <summary>
        /// A tenant setting took effect, transaction-locally or for the session. Settings applied by the method itself
        /// replace what was assumed of the caller, except where the assumption is <see cref="Additive"/>.
        /// </summary>
        public ConnectionState WithSetting(ContextState context, int bit, bool session)
        {
            if (Additive)
            {
                return this;
            }

            var own = Context is ContextState.TransactionLocal or ContextState.Session;
            var applied = (own ? Applied : SettingSet.Empty).With(bit);
            var sessionApplied = own ? SessionApplied : SettingSet.Empty;
            return new(Transaction, context, ExpiryReason.None, applied, session ? sessionApplied.With(bit) : sessionApplied, Held);
        }

        /// <summary>
        /// A setting of this scope took effect on the connection in this state: for the session, or transaction-locally,
        /// which outside a transaction expires at once.
        /// </summary>
        public ConnectionState ApplySetting(SettingScope scope, int bit)
        {
            if (scope == SettingScope.Session)
            {
                return WithSetting(ContextState.Session, bit, session: true);
            }

            return Transaction switch
            {
                TransactionState.Open or TransactionState.Unknown => WithSetting(ContextState.TransactionLocal, bit, session: false),
                TransactionState.Maybe => HasContext ? this : With(ContextState.Maybe),
                _ => With(ContextState.Expired, ExpiryReason.NoTransaction),
            };
        }

        /// <summary>One setting was reset; the context ends when it was the last one in effect.</summary>
        public ConnectionState WithoutSetting(int bit)
        {
            var applied = Applied.Without(bit);
            return applied.IsEmpty || Context == ContextState.Assumed
                ? new(Transaction, ContextState.Expired, ExpiryReason.Reset, SettingSet.Empty, SettingSet.Empty, Held)
                : new(Transaction, Context, ExpiryReason.None, applied, SessionApplied.Without(bit), Held);
        }

        /// <summary>The transaction ended: transaction-local settings end with it; session settings stay.</summary>
        public ConnectionState EndTransaction(ExpiryReason reason)
        {
            if (Context != ContextState.TransactionLocal)
            {
                return new(TransactionState.None, Context, Expiry, Applied, SessionApplied, Held, Additive);
            }

            return SessionApplied.IsEmpty
                ? new(TransactionState.None, ContextState.Expired, reason, SettingSet.Empty, SettingSet.Empty, Held)
                : new(TransactionState.None, ContextState.Session, ExpiryReason.None, SessionApplied, SessionApplied, Held);
        }

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

            return new ConnectionState(transaction, context, expiry, a.Applied.Intersect(b.Applied), a.SessionApplied.Intersect(b.SessionApplied), a.Held && b.Held, a.Additive && b.Additive);
        }

        public bool Equals(ConnectionState other) =>
            Transaction == other.Transaction && Context == other.Context && Expiry == other.Expiry && Applied.Equals(other.Applied) && SessionApplied.Equals(other.SessionApplied) && Held == other.Held && Additive == other.Additive;

        public override bool Equals(object? obj) => obj is ConnectionState other && Equals(other);

        public override int GetHashCode() => (((int)Transaction << 16) | ((int)Context << 8) | (int)Expiry) ^ Applied.GetHashCode();

        public override string ToString() => $"tx={Transaction}, ctx={Context}" + (Expiry == ExpiryReason.None ? string.Empty : $" ({Expiry})") + (Applied.IsEmpty || Applied.IsAll ? string.Empty : $" [{Applied}]");
    }
}
