namespace TenantGuard.Analyzers.Model
{
    /// <summary>Where a connection comes from, which decides what is known of it when a method starts.</summary>
    internal enum ConnectionOrigin
    {
        /// <summary>Created or opened in the method: no transaction, no tenant context.</summary>
        Fresh,

        /// <summary>Received (parameter, field, lambda parameter, call result): its state is the caller's.</summary>
        External,
    }
}
