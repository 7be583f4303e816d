using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>A place where SQL reaches the server, with the connection, transaction and SQL it uses.</summary>
    internal sealed class ExecutionSite
    {
        public ExecutionSite(IOperation operation, SiteKind kind, ResourceKey? connection, ResourceKey? transaction, SqlSource? sql, bool enumerated = false, ExecutionSite? via = null, ImmutableArray<SqlSource> alternatives = default)
        {
            Alternatives = alternatives.IsDefault ? ImmutableArray<SqlSource>.Empty : alternatives;
            Via = via;
            Operation = operation;
            Enumerated = enumerated;
            Kind = kind;
            Connection = connection;
            Transaction = transaction;
            Sql = sql;
        }

        /// <summary>The call that runs the SQL; for a <c>foreach</c> over a DbSet property, the property reference.</summary>
        public IOperation Operation { get; }

        public SyntaxNode Syntax => Operation.Syntax;

        /// <summary>
        /// The SQL runs when a <c>foreach</c> enumerates the result of <see cref="Operation"/> (an EF Core query such as
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

        /// <summary>
        /// Other texts the execution may run with: <c>CommandText</c> assigned in the other branches of an <c>if</c> or
        /// <c>switch</c> than the last assignment before the execution (<c>if (user) cmd.CommandText = "SET ..."; else
        /// cmd.CommandText = "RESET ...";</c>), or, when <see cref="Sql"/> is not known, the branches of a text chosen by
        /// a conditional expression (<c>ok ? "SET ..." : "RESET ..."</c>). The rules that read each text for itself
        /// (<c>SiteSql.Statements</c>, TG1011) read these too; the flow follows <see cref="Sql"/> only.
        /// </summary>
        public ImmutableArray<SqlSource> Alternatives { get; }

        /// <summary>This execution with other SQL (and no alternatives): one of <see cref="Alternatives"/>, read as the site's.</summary>
        public ExecutionSite WithSql(SqlSource sql) => new(Operation, Kind, Connection, Transaction, sql, Enumerated, Via);

        /// <summary>This execution with other texts it may run with (see <see cref="Alternatives"/>).</summary>
        public ExecutionSite WithAlternatives(ImmutableArray<SqlSource> alternatives) => new(Operation, Kind, Connection, Transaction, Sql, Enumerated, Via, alternatives);

        /// <summary>For a <see cref="SiteKind.Helper"/> call: the execution inside the helper (itself maybe a helper call).</summary>
        public ExecutionSite? Via { get; }

        /// <summary>For a <see cref="SiteKind.Helper"/> call: the execution at the end of the chain, where the SQL runs.</summary>
        public ExecutionSite Innermost => Via?.Innermost ?? this;

        /// <summary>
        /// How the call is named in messages: <c>NpgsqlCommand.ExecuteNonQuery</c>, <c>SqlMapper.Execute</c>; for a
        /// helper call, the helper (<c>InvoiceStore.ListAsync</c>).
        /// </summary>
        public string ApiName
        {
            get
            {
                if (Kind == SiteKind.Helper && Operation is IInvocationOperation call)
                {
                    return call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name;
                }

                return (Enumerated ? "foreach over " : string.Empty) + Operation switch
                {
                    IInvocationOperation invocation => (invocation.Instance?.Type ?? invocation.TargetMethod.ContainingType).Name + "." + invocation.TargetMethod.Name,
                    IPropertyReferenceOperation property => property.Property.ContainingType.Name + "." + property.Property.Name,
                    _ => Operation.Syntax.ToString(),
                };
            }
        }

        public Location Location => Operation.Syntax.GetLocation();
    }
}
