using System;
using System.Collections.Generic;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>One <c>current_setting(...)</c> call in a policy expression, and how its value is used.</summary>
    internal sealed class SettingRead
    {
        public SettingRead(string setting, bool missingOk, string? castType, bool nullIfGuarded, string text, bool inSubquery)
        {
            InSubquery = inSubquery;
            Setting = setting;
            MissingOk = missingOk;
            CastType = castType;
            NullIfGuarded = nullIfGuarded;
            Text = text;
        }

        public string Setting { get; }

        /// <summary>Called with <c>missing_ok</c> = true: a connection that never set it reads NULL instead of failing.</summary>
        public bool MissingOk { get; }

        /// <summary>The type the value is cast to (<c>uuid</c>, <c>int</c>), when it is not a text type.</summary>
        public string? CastType { get; }

        /// <summary>Wrapped in <c>NULLIF(..., '')</c> before the cast, so that an empty value becomes NULL.</summary>
        public bool NullIfGuarded { get; }

        /// <summary>The call as written, with its NULLIF and cast.</summary>
        public string Text { get; }

        /// <summary>Inside a scalar subquery (<c>(SELECT current_setting(...))</c>): evaluated once per statement (an InitPlan), not per row.</summary>
        public bool InSubquery { get; }
    }

    /// <summary>Finds the <c>current_setting</c> reads of a SQL expression with the lexer.</summary>
    internal static class SettingReads
    {
        private static readonly HashSet<string> TextTypes = new(StringComparer.OrdinalIgnoreCase) { "text", "varchar", "character", "char", "name", "bpchar" };

        public static List<SettingRead> In(string expression)
        {
            var script = SqlScript.Parse(expression);
            var tokens = new List<SqlToken>();
            foreach (var token in script.Tokens)
            {
                if (!token.IsTrivia)
                {
                    tokens.Add(token);
                }
            }

            // Which tokens sit inside a parenthesized SELECT: (SELECT ...).
            var inSelect = new bool[tokens.Count];
            var open = new Stack<bool>();
            var selects = 0;
            for (var i = 0; i < tokens.Count; i++)
            {
                inSelect[i] = selects > 0;
                if (tokens[i].Kind == SqlTokenKind.OpenParen)
                {
                    var isSelect = i + 1 < tokens.Count && Is(script, tokens[i + 1], "select");
                    open.Push(isSelect);
                    selects += isSelect ? 1 : 0;
                }
                else if (tokens[i].Kind == SqlTokenKind.CloseParen && open.Count > 0)
                {
                    selects -= open.Pop() ? 1 : 0;
                }
            }

            var result = new List<SettingRead>();
            for (var i = 0; i + 1 < tokens.Count; i++)
            {
                if (!Is(script, tokens[i], "current_setting") || tokens[i + 1].Kind != SqlTokenKind.OpenParen)
                {
                    continue;
                }

                var close = Matching(tokens, i + 1);
                if (close < 0 || i + 2 >= close || script.StringValue(tokens[i + 2]) is not { } setting)
                {
                    continue;
                }

                var missingOk = i + 4 < close && tokens[i + 3].Kind == SqlTokenKind.Comma
                    && script.TextOf(tokens[i + 4]).Trim().ToLowerInvariant() is "true" or "'true'" or "'t'" or "'on'";

                // NULLIF(current_setting(...), '')
                var first = i;
                var last = close;
                var guarded = i >= 2 && tokens[i - 1].Kind == SqlTokenKind.OpenParen && Is(script, tokens[i - 2], "nullif")
                    && close + 3 < tokens.Count && tokens[close + 1].Kind == SqlTokenKind.Comma && script.StringValue(tokens[close + 2]) == string.Empty
                    && tokens[close + 3].Kind == SqlTokenKind.CloseParen;
                if (guarded)
                {
                    first = i - 2;
                    last = close + 3;
                }

                // ...::type, or CAST(... AS type)
                string? cast = null;
                if (last + 2 < tokens.Count && tokens[last + 1].Kind == SqlTokenKind.Cast)
                {
                    cast = script.TextOf(tokens[last + 2]);
                    last += 2;
                }
                else if (first >= 2 && tokens[first - 1].Kind == SqlTokenKind.OpenParen && Is(script, tokens[first - 2], "cast")
                    && last + 2 < tokens.Count && Is(script, tokens[last + 1], "as"))
                {
                    cast = script.TextOf(tokens[last + 2]);
                    first -= 2;
                    last = Matching(tokens, first + 1) is var end and >= 0 ? end : last + 2;
                }

                if (cast is not null && TextTypes.Contains(cast))
                {
                    cast = null;
                }

                var text = expression.Substring(tokens[first].Start, tokens[last].End - tokens[first].Start);
                result.Add(new SettingRead(setting, missingOk, cast?.ToLowerInvariant(), guarded, text, inSelect[i]));
            }

            return result;
        }

        private static bool Is(SqlScript script, SqlToken token, string word) =>
            token.Kind == SqlTokenKind.Identifier && string.Equals(script.TextOf(token), word, StringComparison.OrdinalIgnoreCase);

        private static int Matching(List<SqlToken> tokens, int open)
        {
            var depth = 0;
            for (var i = open; i < tokens.Count; i++)
            {
                if (tokens[i].Kind == SqlTokenKind.OpenParen)
                {
                    depth++;
                }
                else if (tokens[i].Kind == SqlTokenKind.CloseParen && --depth == 0)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
