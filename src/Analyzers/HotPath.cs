using System.Runtime.CompilerServices;

namespace TenantGuard.Analyzers
{
    /// <summary>
    /// For the few loops that run for every operation of every method (the model's walk, the lexer, the flow):
    /// <c>[MethodImpl(HotPath.Optimize)]</c> has the runtime compile them optimized at once.
    /// </summary>
    /// <remarks>
    /// A compiler process runs briefly and keeps compiling new code, and the runtime promotes a method to optimized code
    /// only after a quiet spell: in a build of a large project none of TenantGuard's methods was ever promoted, so all of
    /// it ran as unoptimized first-tier code. The value is <c>MethodImplOptions.AggressiveOptimization</c>, which
    /// netstandard2.0 does not name; runtimes without tiered compilation (.NET Framework) ignore it.
    /// </remarks>
    internal static class HotPath
    {
#if TENANTGUARD_PRECOMPILED
        // The precompiled copy (src/Precompiled) is compiled ahead of time, optimized, and the ahead-of-time compiler
        // leaves out every method marked AggressiveOptimization (the runtime then compiles it at first call): there the
        // mark is off.
        public const MethodImplOptions Optimize = 0;
#else
        public const MethodImplOptions Optimize = (MethodImplOptions)512;
#endif
    }
}
