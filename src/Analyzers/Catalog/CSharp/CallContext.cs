using System.Collections.Immutable;

namespace TenantGuard.Analyzers.Catalog.CSharp
{
    /// <summary>
    /// One way a migration helper runs: the values one call passes for its parameters, and where that call stands,
    /// so that what the helper builds is read with those values and ordered with the migration that calls it.
    /// <see cref="Root"/> is code read where it stands (a migration's <c>Up</c>, or a helper nothing calls).
    /// </summary>
    internal sealed class CallContext
    {
        public static readonly CallContext Root = new(
            ImmutableDictionary<string, string>.Empty, ImmutableDictionary<string, ImmutableArray<string>>.Empty, null, null, ImmutableArray<int>.Empty);

        public CallContext(
            ImmutableDictionary<string, string> values,
            ImmutableDictionary<string, ImmutableArray<string>> lists,
            string? path,
            string? orderKey,
            ImmutableArray<int> positions)
        {
            Values = values;
            Lists = lists;
            Path = path;
            OrderKey = orderKey;
            Positions = positions;
        }

        /// <summary>The parameters the call gives a known string (<c>"users"</c>, a constant, a caller's known value).</summary>
        public ImmutableDictionary<string, string> Values { get; }

        /// <summary>The parameters the call gives a collection of literals (<c>new[] { "a", "b" }</c>, a <c>params</c> list).</summary>
        public ImmutableDictionary<string, ImmutableArray<string>> Lists { get; }

        /// <summary>The file of the outermost call (null at the root: the code's own file).</summary>
        public string? Path { get; }

        /// <summary>The migration order of the outermost call's migration (null at the root).</summary>
        public string? OrderKey { get; }

        /// <summary>The positions of the calls, outermost first: what a call produces is ordered where the call stands.</summary>
        public ImmutableArray<int> Positions { get; }

        public bool IsRoot => Path is null;
    }
}
