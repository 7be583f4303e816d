namespace TenantGuard.Analyzers.Sql
{
    internal enum SettingScope
    {
        /// <summary>Lasts for the session: <c>SET</c>, <c>SET SESSION</c>, <c>set_config(.., false)</c>.</summary>
        Session,

        /// <summary>Lasts until the transaction ends: <c>SET LOCAL</c>, <c>set_config(.., true)</c>.</summary>
        TransactionLocal,

        /// <summary>Decided at run time (<c>set_config(.., @isLocal)</c>).</summary>
        Unknown,
    }
}
