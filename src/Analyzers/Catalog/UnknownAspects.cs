using System;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// What a migration statement TenantGuard could not read may have done to a table. A rule that would say something
    /// is missing stays silent about a table where that thing is unknown: the statement may have added it.
    /// </summary>
    [Flags]
    internal enum UnknownAspects
    {
        None = 0,

        /// <summary>Row-level security enabled, forced or disabled (TG2001, TG2002, TG2004).</summary>
        Rls = 1,

        /// <summary>Policies created, changed or dropped (TG2001, TG2004).</summary>
        Policy = 2,

        /// <summary>Indexes (TG2010).</summary>
        Index = 4,

        /// <summary>Foreign keys and the keys they reference (TG2007).</summary>
        ForeignKey = 8,

        All = Rls | Policy | Index | ForeignKey,
    }
}
