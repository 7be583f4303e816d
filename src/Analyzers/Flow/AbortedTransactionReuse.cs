using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>A catch clause after which the transaction its database error aborted is used again.</summary>
    internal sealed class AbortedTransactionReuse
    {
        public AbortedTransactionReuse(ICatchClauseOperation clause, string connectionName, string reuse, string? savepointTransaction)
        {
            Clause = clause;
            ConnectionName = connectionName;
            Reuse = reuse;
            SavepointTransaction = savepointTransaction;
        }

        public ICatchClauseOperation Clause { get; }

        public string ConnectionName { get; }

        /// <summary>Where the transaction is used again: "a command at line N", "the commit at line N".</summary>
        public string Reuse { get; }

        /// <summary>The DbTransaction variable a savepoint fix can use, when there is exactly one.</summary>
        public string? SavepointTransaction { get; }
    }
}
