using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// Runs the statements of one execution through a connection's state. A command or batch executed with no
    /// explicit transaction runs in one implicit transaction (docs/architecture.md): a transaction-local
    /// setting holds for the statements after it in the same text or batch, and ends with it.
    /// </summary>
    internal static class SiteSimulation
    {
        /// <summary>Sees each statement with the state just before it, and whether it runs in the implicit transaction.</summary>
        public delegate void StatementVisitor(SqlStatement statement, ConnectionState before, bool inImplicitTransaction);

        public static ConnectionState Apply(ExecutionSite site, ConnectionState state, TenantGuardOptions options, StatementVisitor? visitor = null)
        {
            if (site.Sql is null)
            {
                return state;
            }

            var implicitTransaction = state.Transaction == TransactionState.None;
            if (implicitTransaction)
            {
                state = state.With(TransactionState.Open);
            }

            foreach (var statement in site.Sql.Script.Statements)
            {
                visitor?.Invoke(statement, state, implicitTransaction);
                switch (statement.Kind)
                {
                    case SqlStatementKind.Begin:
                        state = state.With(TransactionState.Open);
                        implicitTransaction = false;
                        break;
                    case SqlStatementKind.Commit:
                    case SqlStatementKind.Rollback:
                        state = state.EndTransaction(ExpiryReason.TransactionEnded);
                        implicitTransaction = false;
                        break;
                    case SqlStatementKind.Discard:
                        state = state.With(ContextState.Expired, ExpiryReason.Reset);
                        break;
                    case SqlStatementKind.Reset when statement.ResetName is "all":
                        state = state.With(ContextState.Expired, ExpiryReason.Reset);
                        break;
                    case SqlStatementKind.Reset when statement.ResetName is { } name && options.IsTenantSetting(name):
                        state = state.WithoutSetting(BitOf(name, options));
                        break;
                    default:
                        foreach (var setting in statement.Settings)
                        {
                            if (setting.Name is not null && options.IsTenantSetting(setting.Name))
                            {
                                state = state.ApplySetting(setting.Scope, BitOf(setting.Name, options));
                            }
                            else if (state.Context == ContextState.Assumed && IsUnreadCustomSetting(setting.Name, options) && TenantGuardOptions.NamesTenant(setting.Name!))
                            {
                                // The method sets its own tenant context, with a setting no policy reads: the
                                // caller's context is not what it relies on.
                                state = state.With(ContextState.None);
                            }
                        }

                        break;
                }
            }

            return implicitTransaction ? state.EndTransaction(ExpiryReason.NoTransaction) : state;
        }

        /// <summary>
        /// A custom setting (<c>app.tenant_id</c>) that no policy of the migrations reads, where the migrations say
        /// which settings the policies read and the configuration does not override them.
        /// </summary>
        public static bool IsUnreadCustomSetting(string? name, TenantGuardOptions options) =>
            name is not null && name.IndexOf('.') > 0 && !options.SettingsConfigured && options.Catalog.PolicySettings.Count > 0 && !options.IsTenantSetting(name);

        private static int BitOf(string setting, TenantGuardOptions options) =>
            options.SettingIndex.TryGetValue(setting, out var bit) ? bit : -1;
    }
}
