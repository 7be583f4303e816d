using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// The states the flow found before the events of a method (<c>Flow/TenantContextFlow</c>), as the summaries read
    /// them: at a middleware's calls of the pipeline's next step, at an entry point's calls of a helper.
    /// </summary>
    internal interface IFlowStates
    {
        /// <summary>
        /// The connections the method has touched before an event, with their states, in the order they were first
        /// touched; null when the event is unreachable.
        /// </summary>
        IReadOnlyList<KeyValuePair<ResourceKey, ConnectionState>>? ConnectionsBefore(SyntaxNode eventSyntax);

        /// <summary>The state of one connection just before an event (as it is on entry when untouched); null when the event is unreachable.</summary>
        ConnectionState? StateBefore(SyntaxNode eventSyntax, ResourceKey key);
    }
}
