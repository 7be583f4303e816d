using System;
using System.Collections.Generic;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>The state of every connection the method has touched, at one program point.</summary>
    /// <remarks>
    /// Immutable. A method touches a handful of connections, so the states are a small array searched in order (cheaper
    /// than a hash map at this size, and it keeps the connections in the order the method first touched them).
    /// </remarks>
    internal sealed class FlowState : IEquatable<FlowState>
    {
        private static readonly KeyValuePair<ResourceKey, ConnectionState>[] None = new KeyValuePair<ResourceKey, ConnectionState>[0];

        private readonly KeyValuePair<ResourceKey, ConnectionState>[] _connections;
        private readonly Func<ResourceKey, ConnectionState> _initial;

        /// <summary>No connection touched yet: each is as <paramref name="initial"/> says it is on entry.</summary>
        public FlowState(Func<ResourceKey, ConnectionState> initial)
            : this(None, initial)
        {
        }

        private FlowState(KeyValuePair<ResourceKey, ConnectionState>[] connections, Func<ResourceKey, ConnectionState> initial)
        {
            _connections = connections;
            _initial = initial;
        }

        /// <summary>The connections touched so far, in the order they were first touched, with their states.</summary>
        public IReadOnlyList<KeyValuePair<ResourceKey, ConnectionState>> Connections => _connections;

        public ConnectionState this[ResourceKey key] => IndexOf(key) is var i and >= 0 ? _connections[i].Value : _initial(key);

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public FlowState With(ResourceKey key, ConnectionState state)
        {
            var i = IndexOf(key);
            if (i >= 0 && _connections[i].Value.Equals(state))
            {
                return this;
            }

            var connections = new KeyValuePair<ResourceKey, ConnectionState>[i >= 0 ? _connections.Length : _connections.Length + 1];
            Array.Copy(_connections, connections, _connections.Length);
            connections[i >= 0 ? i : _connections.Length] = new KeyValuePair<ResourceKey, ConnectionState>(key, state);
            return new FlowState(connections, _initial);
        }

        /// <summary>The connection as it is on entry (a variable that now holds another connection).</summary>
        public FlowState Without(ResourceKey key)
        {
            var i = IndexOf(key);
            if (i < 0)
            {
                return this;
            }

            var connections = new KeyValuePair<ResourceKey, ConnectionState>[_connections.Length - 1];
            Array.Copy(_connections, 0, connections, 0, i);
            Array.Copy(_connections, i + 1, connections, i, _connections.Length - i - 1);
            return new FlowState(connections, _initial);
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static FlowState Merge(FlowState? a, FlowState b)
        {
            if (a is null)
            {
                return b;
            }

            if (ReferenceEquals(a._connections, b._connections))
            {
                return a;
            }

            var result = a;
            foreach (var pair in b._connections)
            {
                result = result.With(pair.Key, ConnectionState.Merge(a[pair.Key], pair.Value));
            }

            foreach (var pair in a._connections)
            {
                if (b.IndexOf(pair.Key) < 0)
                {
                    result = result.With(pair.Key, ConnectionState.Merge(pair.Value, b[pair.Key]));
                }
            }

            return result;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public bool Equals(FlowState? other)
        {
            if (other is null || other._connections.Length != _connections.Length)
            {
                return false;
            }

            if (ReferenceEquals(other._connections, _connections))
            {
                return true;
            }

            foreach (var pair in _connections)
            {
                var i = other.IndexOf(pair.Key);
                if (i < 0 || !other._connections[i].Value.Equals(pair.Value))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as FlowState);

        public override int GetHashCode() => _connections.Length;

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private int IndexOf(ResourceKey key)
        {
            var connections = _connections;
            for (var i = 0; i < connections.Length; i++)
            {
                if (ReferenceEquals(connections[i].Key, key) || connections[i].Key.Equals(key))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
