namespace TenantGuard.Analyzers.Model
{
    internal enum FlowEventKind
    {
        /// <summary>SQL executes (see <see cref="FlowEvent.Site"/>).</summary>
        Execute,
        BeginTransaction,
        Commit,
        Rollback,
        RollbackToSavepoint,
        Save,
        Release,

        /// <summary>The connection is closed or disposed: it goes back to the pool and is reset.</summary>
        Close,

        /// <summary>An EF Core context's connection is opened by the code (<c>Database.OpenConnection</c>): it stays open between commands.</summary>
        Open,

        /// <summary>A call that goes over the network (HttpClient and configured types).</summary>
        NetworkCall,

        /// <summary>A connection variable is assigned another connection: what was known of the old one no longer applies.</summary>
        Reassign,

        /// <summary>
        /// Connections, transactions or DbContexts handed to a method outside the data-access libraries (a helper of
        /// the application's own): it may apply the tenant setting, so afterwards the context is assumed.
        /// </summary>
        Escape,

        /// <summary>
        /// A call of a local function of the method: changes nothing here, but the state before it is where the local
        /// function starts (see <c>TenantContextFlow</c>).
        /// </summary>
        LocalFunctionCall,

        /// <summary>
        /// A call of one of the project's own methods that is no other event, recorded by the flow in methods that may
        /// use transactions: it changes nothing here, but it may reach the network (TG1005 asks its summary).
        /// </summary>
        Call,

        /// <summary>
        /// An invocation of one of the method's delegate parameters with a connection (<c>await work(connection,
        /// transaction)</c>), recorded only while summarizing a with-tenant wrapper: it changes nothing here, but the
        /// state before it is where a callback passed to the wrapper starts (see <c>Flow/CallbackEntry</c>).
        /// </summary>
        Callback,
    }
}
