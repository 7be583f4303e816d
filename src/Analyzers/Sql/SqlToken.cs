using System;

namespace TenantGuard.Analyzers.Sql
{
    /// <summary>One token of SQL text: a kind and a span of the text it was read from.</summary>
    internal readonly struct SqlToken : IEquatable<SqlToken>
    {
        public SqlToken(SqlTokenKind kind, int start, int length, bool unterminated = false)
        {
            Kind = kind;
            Start = start;
            Length = length;
            IsUnterminated = unterminated;
        }

        public SqlTokenKind Kind { get; }

        public int Start { get; }

        public int Length { get; }

        public int End => Start + Length;

        /// <summary>A string, quoted identifier or comment whose closing delimiter is missing.</summary>
        public bool IsUnterminated { get; }

        public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

        public bool IsPlaceholder => Kind is SqlTokenKind.NamedParameter or SqlTokenKind.PositionalParameter or SqlTokenKind.ParameterHole;

        public string GetText(string sql) => sql.Substring(Start, Length);

        public bool Equals(SqlToken other) => Kind == other.Kind && Start == other.Start && Length == other.Length && IsUnterminated == other.IsUnterminated;

        public override bool Equals(object? obj) => obj is SqlToken other && Equals(other);

        public override int GetHashCode() => ((int)Kind * 397) ^ (Start * 31) ^ Length;

        public override string ToString() => $"{Kind}@{Start}+{Length}";
    }
}
