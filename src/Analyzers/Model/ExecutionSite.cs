using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Analyzers.Model
{
    internal enum SiteKind
    {
        /// <summary>DbCommand / NpgsqlCommand Execute*.</summary>
        Command,

        /// <summary>DbBatch / NpgsqlBatch Execute*: all commands in one implicit transaction.</summary>
        Batch,

        /// <summary>A command from NpgsqlDataSource.CreateCommand: runs on its own pooled connection.</summary>
        DataSourceCommand,

        /// <summary>A Dapper SqlMapper extension method.</summary>
        Dapper,

        /// <summary>EF Core Database.ExecuteSql*/SqlQuery*, DbSet.FromSql*.</summary>
        EfCore,
    }

    /// <summary>A place where SQL reaches the server, with the connection, transaction and SQL it uses.</summary>
    internal sealed class ExecutionSite
    {
        public ExecutionSite(IInvocationOperation invocation, SiteKind kind, ResourceKey? connection, ResourceKey? transaction, SqlSource? sql, bool enumerated = false)
        {
            Invocation = invocation;
            Enumerated = enumerated;
            Kind = kind;
            Connection = connection;
            Transaction = transaction;
            Sql = sql;
        }

        public IInvocationOperation Invocation { get; }

        public SyntaxNode Syntax => Invocation.Syntax;

        /// <summary>
        /// The SQL runs when a <c>foreach</c> enumerates the result of <see cref="Invocation"/> (an EF Core query such as
        /// <c>db.Contacts.Where(...)</c>), not when the call itself returns.
        /// </summary>
        public bool Enumerated { get; }

        public SiteKind Kind { get; }

        /// <summary>The connection (or DbContext) it runs on; null when it cannot be told.</summary>
        public ResourceKey? Connection { get; }

        /// <summary>The transaction passed to it explicitly, if any.</summary>
        public ResourceKey? Transaction { get; }

        /// <summary>The SQL, or null when it is not known at compile time.</summary>
        public SqlSource? Sql { get; }

        /// <summary>How the call is named in messages: <c>NpgsqlCommand.ExecuteNonQuery</c>, <c>SqlMapper.Execute</c>.</summary>
        public string ApiName => (Enumerated ? "foreach over " : string.Empty) + (Invocation.Instance?.Type ?? Invocation.TargetMethod.ContainingType).Name + "." + Invocation.TargetMethod.Name;

        public Location Location => Invocation.Syntax.GetLocation();
    }
}
