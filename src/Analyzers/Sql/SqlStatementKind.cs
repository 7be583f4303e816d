namespace TenantGuard.Analyzers.Sql
{
    internal enum SqlStatementKind
    {
        /// <summary>Anything else: queries, DML, DDL.</summary>
        Other,
        Set,
        Reset,
        Show,
        Discard,
        Begin,
        Commit,
        Rollback,
        Savepoint,
        RollbackToSavepoint,
        ReleaseSavepoint,
    }
}
