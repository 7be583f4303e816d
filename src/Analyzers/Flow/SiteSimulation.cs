using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// Runs the statements of one execution through a connection's state. A command or batch executed with no
    /// explicit transaction runs in one implicit transaction (GROUND_TRUTH rows 3 and 4): a transaction-local
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
                    case SqlStatementKind.Reset when statement.ResetName is "all" || (statement.ResetName is { } name && options.TenantSettings.Contains(name)):
                        state = state.With(ContextState.Expired, ExpiryReason.Reset);
                        break;
                    default:
                        foreach (var setting in statement.Settings)
                        {
                            if (setting.Name is not null && options.TenantSettings.Contains(setting.Name))
                            {
                                state = ApplySetting(state, setting.Scope);
                            }
                        }

                        break;
                }
            }

            return implicitTransaction ? state.EndTransaction(ExpiryReason.NoTransaction) : state;
        }

        private static ConnectionState ApplySetting(ConnectionState state, SettingScope scope)
        {
            if (scope == SettingScope.Session)
            {
                return state.With(ContextState.Session);
            }

            return state.Transaction switch
            {
                TransactionState.Open or TransactionState.Unknown => state.With(ContextState.TransactionLocal),
                TransactionState.Maybe => state.HasContext ? state : state.With(ContextState.Maybe),
                _ => state.With(ContextState.Expired, ExpiryReason.NoTransaction),
            };
        }
    }
}
