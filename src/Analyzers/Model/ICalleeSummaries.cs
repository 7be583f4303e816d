using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// What a method's model asks of the project's methods it calls: whether one hands out a fresh connection, and the
    /// SQL text one writes into a command or returns with it. Answered by the summaries (<c>Summaries/MethodSummaries</c>),
    /// which sit above the model and read each callee through a model of its own; whoever builds the models hands them
    /// in (<see cref="ModelBuilder"/>).
    /// </summary>
    internal interface ICalleeSummaries
    {
        /// <summary>
        /// Whether a call to this method returns a connection (or EF Core context) it created (or opened from a data
        /// source, or took from an <c>IDbContextFactory</c>) and set nothing on.
        /// </summary>
        bool ReturnsFreshConnection(IMethodSymbol method);

        /// <summary>
        /// The SQL text a helper writes into the command it receives as parameter <paramref name="ordinal"/>, when it
        /// writes it exactly once; null otherwise. Its map points into the helper.
        /// </summary>
        SqlSource? CommandTextWrittenBy(IMethodSymbol method, int ordinal);

        /// <summary>
        /// The SQL text of the command a method creates and returns, when it has one return and its text is known there;
        /// null otherwise. Its map points into the method.
        /// </summary>
        SqlSource? CommandTextReturnedBy(IMethodSymbol method);
    }
}
