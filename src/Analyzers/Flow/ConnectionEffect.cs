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
    internal enum ConnectionEffectKind
    {
        /// <summary>Not known (the method hands the connection on, ends its transaction, closes it ...): the caller assumes the setting.</summary>
        Unknown,

        /// <summary>No setting is applied on any path and the connection is not closed (its transaction may be begun or ended, see <see cref="ConnectionEffect.Transaction"/>).</summary>
        LeavesContext,

        /// <summary>On every path that returns, the settings in <see cref="ConnectionEffect.Applied"/> are in effect.</summary>
        AppliesSetting,
    }

    /// <summary>
    /// What one of the project's methods does to the tenant context of a connection (or DbContext) it receives as a
    /// parameter, read with the flow from its body, where that parameter starts with no setting and the caller's
    /// transaction: whether it applies settings (which, transaction-local or for the session), leaves the context as it
    /// was, or cannot be told; whether it ends the caller's transaction or begins one; and the first execution that needs
    /// the caller to have applied the setting already (<see cref="Requirement"/>).
    /// </summary>
    internal sealed class ConnectionEffect
    {
        public static readonly ConnectionEffect Unknown = new(ConnectionEffectKind.Unknown, SettingSet.Empty, SettingSet.Empty, null, TransactionState.Unknown, reset: false);

        private ConnectionEffect(ConnectionEffectKind kind, SettingSet applied, SettingSet session, ExecutionSite? requirement, TransactionState transaction, bool reset)
        {
            Kind = kind;
            Transaction = transaction;
            Reset = reset;
            Applied = applied;
            Session = session;
            Requirement = requirement;
        }

        public ConnectionEffectKind Kind { get; }

        /// <summary>The settings applied (for <see cref="ConnectionEffectKind.AppliesSetting"/>).</summary>
        public SettingSet Applied { get; }

        /// <summary>The part of <see cref="Applied"/> set for the session; the rest is transaction-local.</summary>
        public SettingSet Session { get; }

        /// <summary>
        /// The first execution in the method that runs tenant-scoped SQL on the connection before the method applies a
        /// setting of its own: it counts on the caller's setting. Null when there is none.
        /// </summary>
        public ExecutionSite? Requirement { get; }

        /// <summary>
        /// What the method leaves of the caller's transaction on every path: <see cref="TransactionState.None"/> when it
        /// commits or rolls it back, <see cref="TransactionState.Open"/> when it begins one (after ending the caller's, if
        /// any), <see cref="TransactionState.Unknown"/> when it does neither.
        /// </summary>
        public TransactionState Transaction { get; }

        /// <summary>The method resets the settings (<c>RESET ALL</c>, <c>DISCARD ALL</c>).</summary>
        public bool Reset { get; }

        /// <summary>The caller's state of the connection after the call.</summary>
        public ConnectionState ApplyTo(ConnectionState state)
        {
            if (Kind == ConnectionEffectKind.Unknown)
            {
                return state;
            }

            if (Transaction is TransactionState.None or TransactionState.Open && state.Transaction != TransactionState.None)
            {
                state = state.EndTransaction(ExpiryReason.TransactionEnded);
            }

            if (Transaction == TransactionState.Open)
            {
                state = state.With(TransactionState.Open);
            }

            if (Reset && state.Context != ContextState.None)
            {
                state = state.With(ContextState.Expired, ExpiryReason.Reset);
            }

            for (var bit = 0; bit < TenantGuardOptions.MaxTrackedSettings; bit++)
            {
                if (Applied.Contains(bit))
                {
                    state = Session.Contains(bit)
                        ? state.WithSetting(ContextState.Session, bit, session: true)
                        : state.ApplySetting(Sql.SettingScope.TransactionLocal, bit);
                }
            }

            return state;
        }

        /// <summary>
        /// The effect of <paramref name="method"/> on each of its parameters (by ordinal): its flow is run with every
        /// connection parameter starting with no setting and the caller's transaction (not known).
        /// </summary>
        public static ImmutableArray<ConnectionEffect> Compute(IMethodSymbol method, MethodModel model, TenantGuardOptions options)
        {
            var result = new ConnectionEffect[method.Parameters.Length];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = Unknown;
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

            var flow = TenantContextFlow.Run(ControlFlowGraph.Create(body), model, options, unassumed.ToImmutable());
            var main = flow.Bodies[0];
            var exit = main.Inputs[main.Inputs.Length - 1];
            var sites = new List<ExecutionSite>(model.Sites);
            sites.AddRange(HelperSites.Of(model, options));
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
                    ? Unknown
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
