using System;
using System.Collections.Immutable;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>The state of every connection the method has touched, at one program point.</summary>
    internal sealed class FlowState : IEquatable<FlowState>
    {
        private readonly Func<ResourceKey, ConnectionState> _initial;

        public FlowState(ImmutableDictionary<ResourceKey, ConnectionState> connections, Func<ResourceKey, ConnectionState> initial)
        {
            Connections = connections;
            _initial = initial;
        }

        public ImmutableDictionary<ResourceKey, ConnectionState> Connections { get; }

        public ConnectionState this[ResourceKey key] => Connections.TryGetValue(key, out var state) ? state : _initial(key);

        public FlowState With(ResourceKey key, ConnectionState state) => new(Connections.SetItem(key, state), _initial);

        /// <summary>The connection as it is on entry (a variable that now holds another connection).</summary>
        public FlowState Without(ResourceKey key) => Connections.ContainsKey(key) ? new(Connections.Remove(key), _initial) : this;

        public static FlowState Merge(FlowState? a, FlowState b)
        {
            if (a is null)
            {
                return b;
            }

            if (ReferenceEquals(a.Connections, b.Connections))
            {
                return a;
            }

            var result = a.Connections;
            foreach (var pair in b.Connections)
            {
                result = result.SetItem(pair.Key, ConnectionState.Merge(a[pair.Key], pair.Value));
            }

            foreach (var pair in a.Connections)
            {
                if (!b.Connections.ContainsKey(pair.Key))
                {
                    result = result.SetItem(pair.Key, ConnectionState.Merge(pair.Value, b[pair.Key]));
                }
            }

            return new FlowState(result, a._initial);
        }

        public bool Equals(FlowState? other)
        {
            if (other is null || other.Connections.Count != Connections.Count)
            {
                return false;
            }

            foreach (var pair in Connections)
            {
                if (!other.Connections.TryGetValue(pair.Key, out var state) || !state.Equals(pair.Value))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as FlowState);

        public override int GetHashCode() => Connections.Count;
    }
}
