namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>The commands a policy applies to (<c>FOR ALL | SELECT | INSERT | UPDATE | DELETE</c>).</summary>
    internal enum PolicyCommand
    {
        All,
        Select,
        Insert,
        Update,
        Delete,
    }
}
