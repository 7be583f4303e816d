namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>What one of the project's methods does to the tenant context of a connection it receives (<see cref="ConnectionEffect"/>).</summary>
    internal enum ConnectionEffectKind
    {
        /// <summary>Not known (the method hands the connection on, ends its transaction, closes it ...): the caller assumes the setting.</summary>
        Unknown,

        /// <summary>No setting is applied on any path and the connection is not closed (its transaction may be begun or ended, see <see cref="ConnectionEffect.Transaction"/>).</summary>
        LeavesContext,

        /// <summary>On every path that returns, the settings in <see cref="ConnectionEffect.Applied"/> are in effect.</summary>
        AppliesSetting,
    }
}
