namespace TenantGuard.Analyzers.Model
{
    /// <summary>Where the framework calls into the application.</summary>
    internal enum EntryPointKind : byte
    {
        /// <summary>An ordinary method: called by the application's own code, perhaps inside a transaction.</summary>
        None,

        /// <summary>
        /// A step of an ASP.NET Core request: a middleware's <c>Invoke</c>/<c>InvokeAsync</c>, a controller action, a
        /// minimal-API handler. Its injected EF Core context is the request's; a project middleware may have begun a
        /// transaction on it around the rest of the pipeline.
        /// </summary>
        Request,

        /// <summary>
        /// Work the framework starts outside any request: a hosted service, an EF Core interceptor, a Hangfire or Quartz
        /// job. Nothing of the application runs before it on its context.
        /// </summary>
        Background,
    }
}
