using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// Reads what one of the project's methods does to the connections it receives (<see cref="ConnectionEffect"/>) from
    /// its flow, where each connection parameter starts with no setting and the caller's transaction.
    /// </summary>
    internal static class ConnectionEffectReader
    {
        /// <summary>
        /// The effect of <paramref name="method"/> on each of its parameters (by ordinal): its flow is run with every
        /// connection parameter starting with no setting and the caller's transaction (not known).
        /// </summary>
        public static ImmutableArray<ConnectionEffect> Compute(IMethodSymbol method, MethodModel model, MethodSummaries summaries, TenantGuardOptions options)
        {
            var result = new ConnectionEffect[method.Parameters.Length];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = ConnectionEffect.Unknown;
            }

            var symbols = model.Symbols;
            var unassumed = ImmutableHashSet.CreateBuilder<IParameterSymbol>(SymbolEqualityComparer.Default);
            foreach (var parameter in method.Parameters)
            {
                if (parameter.RefKind == RefKind.None
                    && (symbols.IsConnection(parameter.Type) || (symbols.IsDbContext(parameter.Type) && options.EfCoreContext == EfCoreContextMode.Explicit)
                        || (symbols.IsTransaction(parameter.Type) && !symbols.TakesConnection(method))))
                {
                    unassumed.Add(parameter);
                }
            }

            if (unassumed.Count == 0 || model.Root is not IMethodBodyOperation body)
            {
                return ImmutableArray.Create(result);
            }

            var flow = TenantContextFlow.Run(ControlFlowGraph.Create(body), model, summaries, options, unassumed.ToImmutable());
            var main = flow.Bodies[0];
            var exit = main.Inputs[main.Inputs.Length - 1];
            var sites = new List<ExecutionSite>(model.Sites);
            sites.AddRange(HelperSites.Of(model, summaries, options));
            sites.Sort((a, b) => a.Syntax.SpanStart.CompareTo(b.Syntax.SpanStart));

            foreach (var parameter in unassumed)
            {
                var key = ResourceKey.For(parameter, symbols.IsDbContext(parameter.Type) ? ResourceKind.DbContext : ResourceKind.Connection);
                var requirement = RequirementOn(key, sites, flow, options);
                var kind = ConnectionEffectKind.Unknown;
                var end = exit?[key] ?? default;
                var reset = end.Context == ContextState.Expired && end.Expiry == ExpiryReason.Reset;
                if (exit is null || end.Transaction == TransactionState.Maybe || ChangesConnection(model, key))
                {
                    kind = ConnectionEffectKind.Unknown;
                }
                else if (end.Context is ContextState.TransactionLocal or ContextState.Session && !end.Applied.IsEmpty)
                {
                    kind = ConnectionEffectKind.AppliesSetting;
                }
                else if (end.Context == ContextState.None || (end.Context == ContextState.Expired && end.Expiry is ExpiryReason.TransactionEnded or ExpiryReason.Reset))
                {
                    kind = ConnectionEffectKind.LeavesContext;
                }

                var applies = kind == ConnectionEffectKind.AppliesSetting;
                result[parameter.Ordinal] = kind == ConnectionEffectKind.Unknown && requirement is null
                    ? ConnectionEffect.Unknown
                    : new ConnectionEffect(kind, applies ? end.Applied : SettingSet.Empty, applies ? end.SessionApplied : SettingSet.Empty, requirement, end.Transaction, reset);
            }

            return ImmutableArray.Create(result);
        }

        /// <summary>The first execution on the parameter's connection that TG1001 would report while it still has no setting of the method's own.</summary>
        private static ExecutionSite? RequirementOn(ResourceKey key, List<ExecutionSite> sites, TenantContextFlow flow, TenantGuardOptions options)
        {
            foreach (var site in sites)
            {
                if (site.Connection is null || !site.Connection.Equals(key) || flow.StateBefore(site.Syntax) is not { } before
                    || before[key].Context != ContextState.None)
                {
                    continue;
                }

                if (MissingContext.Find(site, before[key], options) is { Failing.Context: ContextState.None })
                {
                    return site;
                }
            }

            return null;
        }

        /// <summary>Whether the method closes the connection or runs SQL on it that cannot be read (then its effect is not known).</summary>
        private static bool ChangesConnection(MethodModel model, ResourceKey key)
        {
            foreach (var flowEvent in model.Events)
            {
                if (flowEvent.Kind is FlowEventKind.Close or FlowEventKind.Reassign && key.Equals(flowEvent.Connection))
                {
                    return true;
                }

                if (flowEvent.Kind == FlowEventKind.Execute && key.Equals(flowEvent.Connection) && flowEvent.Site?.Sql is null)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
