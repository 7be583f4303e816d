using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// The connection one of the project's methods creates and returns, alone or in a tuple with the transaction begun on
    /// it (<c>Task&lt;(NpgsqlConnection, NpgsqlTransaction)&gt; BeginTenantAsync(Guid tenant)</c>), and the state it is in
    /// when it is returned: no setting, or the tenant settings applied (transaction-local in the open transaction, or for
    /// the session). A caller's local that receives it starts in that state.
    /// </summary>
    internal sealed class ReturnedConnection
    {
        internal ReturnedConnection(int connectionElement, int transactionElement, ISymbol? connectionMember, ConnectionState state)
        {
            ConnectionElement = connectionElement;
            TransactionElement = transactionElement;
            ConnectionMember = connectionMember;
            State = state;
        }

        /// <summary>The member of the returned class, struct or record that holds the connection; null otherwise.</summary>
        public ISymbol? ConnectionMember { get; }

        /// <summary>Whether a caller's <c>local.member</c> is the returned connection: the holder's member, or the tuple's element.</summary>
        public bool HoldsConnectionIn(ISymbol? member)
        {
            if (member is null)
            {
                return false;
            }

            if (ConnectionMember is not null)
            {
                return SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, ConnectionMember);
            }

            return ConnectionElement >= 0 && member is IFieldSymbol field
                && (field.CorrespondingTupleField ?? field).Name == "Item" + (ConnectionElement + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>The tuple element that holds the connection; -1 when the method returns the connection itself.</summary>
        public int ConnectionElement { get; }

        /// <summary>The tuple element that holds its transaction; -1 when there is none.</summary>
        public int TransactionElement { get; }

        /// <summary>The connection's state when the method returns it.</summary>
        public ConnectionState State { get; }
    }
}
