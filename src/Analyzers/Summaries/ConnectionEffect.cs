using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// What one of the project's methods does to the tenant context of a connection (or DbContext) it receives as a
    /// parameter, read with the flow from its body, where that parameter starts with no setting and the caller's
    /// transaction: whether it applies settings (which, transaction-local or for the session), leaves the context as it
    /// was, or cannot be told; whether it ends the caller's transaction or begins one; and the first execution that needs
    /// the caller to have applied the setting already (<see cref="Requirement"/>).
    /// </summary>
    internal sealed class ConnectionEffect
    {
        public static readonly ConnectionEffect Unknown = new(ConnectionEffectKind.Unknown, SettingSet.Empty, SettingSet.Empty, null, TransactionState.Unknown, reset: false);

        internal ConnectionEffect(ConnectionEffectKind kind, SettingSet applied, SettingSet session, ExecutionSite? requirement, TransactionState transaction, bool reset)
        {
            Kind = kind;
            Transaction = transaction;
            Reset = reset;
            Applied = applied;
            Session = session;
            Requirement = requirement;
        }

        public ConnectionEffectKind Kind { get; }

        /// <summary>The settings applied (for <see cref="ConnectionEffectKind.AppliesSetting"/>).</summary>
        public SettingSet Applied { get; }

        /// <summary>The part of <see cref="Applied"/> set for the session; the rest is transaction-local.</summary>
        public SettingSet Session { get; }

        /// <summary>
        /// The first execution in the method that runs tenant-scoped SQL on the connection before the method applies a
        /// setting of its own: it counts on the caller's setting. Null when there is none.
        /// </summary>
        public ExecutionSite? Requirement { get; }

        /// <summary>
        /// What the method leaves of the caller's transaction on every path: <see cref="TransactionState.None"/> when it
        /// commits or rolls it back, <see cref="TransactionState.Open"/> when it begins one (after ending the caller's, if
        /// any), <see cref="TransactionState.Unknown"/> when it does neither.
        /// </summary>
        public TransactionState Transaction { get; }

        /// <summary>The method resets the settings (<c>RESET ALL</c>, <c>DISCARD ALL</c>).</summary>
        public bool Reset { get; }

        /// <summary>The caller's state of the connection after the call.</summary>
        public ConnectionState ApplyTo(ConnectionState state)
        {
            if (Kind == ConnectionEffectKind.Unknown)
            {
                return state;
            }

            if (Transaction is TransactionState.None or TransactionState.Open && state.Transaction != TransactionState.None)
            {
                state = state.EndTransaction(ExpiryReason.TransactionEnded);
            }

            if (Transaction == TransactionState.Open)
            {
                state = state.With(TransactionState.Open);
            }

            if (Reset && state.Context != ContextState.None)
            {
                state = state.With(ContextState.Expired, ExpiryReason.Reset);
            }

            for (var bit = 0; bit < TenantGuardOptions.MaxTrackedSettings; bit++)
            {
                if (Applied.Contains(bit))
                {
                    state = Session.Contains(bit)
                        ? state.WithSetting(ContextState.Session, bit, session: true)
                        : state.ApplySetting(Sql.SettingScope.TransactionLocal, bit);
                }
            }

            return state;
        }
    }
}
