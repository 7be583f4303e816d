using System.Collections.Generic;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// The calls of a method that hand a connection to one of the project's methods which runs tenant-scoped SQL on it
    /// before applying any setting of its own (<see cref="ConnectionEffect.Requirement"/>): each is an execution site of
    /// kind <see cref="SiteKind.Helper"/> on the caller's connection, with the helper's SQL, so that TG1001 asks of the
    /// caller's state at the call what it asks at a query.
    /// </summary>
    internal static class HelperSites
    {
        public static List<ExecutionSite> Of(MethodModel model, MethodSummaries summaries, TenantGuardOptions options)
        {
            var result = new List<ExecutionSite>();
            if (!model.Has(FlowEventKind.Escape))
            {
                return result;
            }

            foreach (var flowEvent in model.Events)
            {
                if (flowEvent.Kind != FlowEventKind.Escape)
                {
                    continue;
                }

                for (var i = 0; i < flowEvent.Escaped.Length; i++)
                {
                    var ordinal = flowEvent.EscapedOrdinals[i];
                    if (ordinal >= 0
                        && summaries.EffectOn(flowEvent.Invocation.TargetMethod, ordinal, options).Requirement is { } requirement)
                    {
                        result.Add(new ExecutionSite(flowEvent.Invocation, SiteKind.Helper, flowEvent.Escaped[i], null, requirement.Sql, via: requirement));
                    }
                }
            }

            result.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));
            return result;
        }
    }
}
