using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// Recognizes the execution sites of one API family (ADO.NET and Npgsql, Dapper, EF Core raw SQL, EF Core queries:
    /// <c>Sites/</c>). The model's walk asks each recognizer its builder holds (<see cref="ModelBuilder.Recognizers"/>), in
    /// order, of every invocation, and keeps the first site; a recognizer reads the model's indexes (assignments, keys,
    /// transactions) through its members. Declared here so that the model, below the recognizers, imports none of them.
    /// </summary>
    internal interface ISiteRecognizer
    {
        /// <summary>The execution site an invocation is, when it is one of this family's; null otherwise.</summary>
        ExecutionSite? TryCreate(IInvocationOperation invocation, MethodModel model);

        /// <summary>
        /// The execution site of a <c>foreach</c> over a collection that runs this family's SQL when the loop enumerates it;
        /// null otherwise.
        /// </summary>
        ExecutionSite? TryCreateEnumerated(IOperation collection, MethodModel model);
    }
}
