using System;
using System.Collections.Generic;
using System.Linq;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// A set of tenant settings, one bit each (<see cref="Options.TenantGuardOptions.SettingIndex"/>): which of them
    /// are in effect on a connection. <see cref="All"/> stands for "whatever the policies need" (a connection received
    /// from a caller that is assumed to have applied the tenant context).
    /// </summary>
    internal readonly struct SettingSet : IEquatable<SettingSet>
    {
        private readonly ulong _bits;

        private SettingSet(ulong bits)
        {
            _bits = bits;
        }

        public static SettingSet Empty => default;

        public static SettingSet All => new(ulong.MaxValue);

        public bool IsEmpty => _bits == 0;

        public bool IsAll => _bits == ulong.MaxValue;

        public SettingSet With(int bit) => bit is >= 0 and < 64 ? new SettingSet(_bits | (1UL << bit)) : this;

        public SettingSet Without(int bit) => bit is >= 0 and < 64 ? new SettingSet(_bits & ~(1UL << bit)) : this;

        /// <summary>Whether a setting is in the set; settings beyond the tracked ones (bit -1) count as in it.</summary>
        public bool Contains(int bit) => bit is < 0 or >= 64 || (_bits & (1UL << bit)) != 0;

        public SettingSet Intersect(SettingSet other) => new(_bits & other._bits);

        /// <summary>The names of the tenant settings in the set, in the order of their bits.</summary>
        public IEnumerable<string> Names(TenantGuardOptions options)
        {
            foreach (var pair in options.SettingIndex.OrderBy(p => p.Value))
            {
                if (Contains(pair.Value))
                {
                    yield return pair.Key;
                }
            }
        }

        public bool Equals(SettingSet other) => _bits == other._bits;

        public override bool Equals(object? obj) => obj is SettingSet other && Equals(other);

        public override int GetHashCode() => _bits.GetHashCode();

        public override string ToString() => IsAll ? "all" : "0x" + _bits.ToString("x");
    }
}
