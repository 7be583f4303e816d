namespace TenantGuard.Analyzers
{
    /// <summary>
    /// The categories of TenantGuard's rules, as their descriptors carry them (<c>dotnet_analyzer_diagnostic.category-...</c>
    /// lines and the presets name them). What kind of rule a diagnostic comes from is read from its descriptor's category,
    /// never from its id.
    /// </summary>
    public static class RuleCategories
    {
        /// <summary>Code that leaves the tenant context out, or applies it where it cannot work.</summary>
        public const string Security = "TenantGuard.Security";

        /// <summary>Code that fails at run time on PostgreSQL or Npgsql.</summary>
        public const string Reliability = "TenantGuard.Reliability";

        /// <summary>
        /// Code where a reviewed exception is normal (a deliberate catch, a call that must happen in the transaction): the
        /// relaxed preset turns this category down.
        /// </summary>
        public const string Design = "TenantGuard.Design";

        /// <summary>What TenantGuard could learn of the schema (TG0002).</summary>
        public const string Configuration = "TenantGuard.Configuration";

        /// <summary>The rules over the schema the migrations build, reported on the migrations.</summary>
        public const string Schema = "TenantGuard.Schema";

        /// <summary>Whether rules of the category judge the application's code (not the schema, not the configuration).</summary>
        public static bool IsCode(string category) => category is Security or Reliability or Design;
    }
}
