namespace TenantGuard.Analyzers.Options
{
    /// <summary>How EF Core contexts get their tenant context.</summary>
    internal enum EfCoreContextMode
    {
        /// <summary>A DbConnectionInterceptor (or similar) applies it: EF Core raw SQL is not checked by TG1001.</summary>
        Interceptor,

        /// <summary>Code applies it explicitly on the context's connection, inside a transaction: TG1001 checks EF Core raw SQL.</summary>
        Explicit,
    }
}
