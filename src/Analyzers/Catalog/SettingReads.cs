using System;
using System.Collections.Generic;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>Finds the <c>current_setting</c> reads of a SQL expression with the lexer.</summary>
    internal static class SettingReads
    {
        private static readonly HashSet<string> TextTypes = new(StringComparer.OrdinalIgnoreCase) { "text", "varchar", "character", "char", "name", "bpchar" };

        /// <summary>
        /// The calls of an expression to functions <paramref name="known"/> accepts (by name as written, schema-qualified
        /// where it is): <c>app.current_tenant_id()</c>, with whether the call sits in a scalar subquery.
        /// </summary>
        public static List<(string Name, string Text, bool InSubquery)> Calls(string expression, Func<string, bool> known)
        {
            var (script, tokens, inSelect) = Tokens(expression);
            var result = new List<(string, string, bool)>();
            for (var i = 0; i + 1 < tokens.Count; i++)
            {
                if (tokens[i].Kind is not (SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier) || tokens[i + 1].Kind != SqlTokenKind.OpenParen
                    || script.IdentifierValue(tokens[i]) is not { } word)
                {
                    continue;
                }

                var first = i;
                var name = word;
                if (i >= 2 && tokens[i - 1].Kind == SqlTokenKind.Dot && script.IdentifierValue(tokens[i - 2]) is { } schema)
                {
                    name = schema + "." + word;
                    first = i - 2;
                }

                var close = Matching(tokens, i + 1);
                if (close < 0 || !known(name))
                {
                    continue;
                }

                result.Add((name, expression.Substring(tokens[first].Start, tokens[close].End - tokens[first].Start), inSelect[i]));
            }

            return result;
        }

        public static List<SettingRead> In(string expression)
        {
            var (script, tokens, inSelect) = Tokens(expression);
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

                // PostgreSQL writes the policies it stores (pg_policies) with casts on the literals:
                // current_setting('app.tenant_id'::text, true), NULLIF(..., ''::text).
                var comma = SkipCasts(tokens, i + 2) + 1;
                var missingOk = comma + 1 < close && tokens[comma].Kind == SqlTokenKind.Comma
                    && script.TextOf(tokens[comma + 1]).Trim().ToLowerInvariant() is "true" or "'true'" or "'t'" or "'on'";

                // NULLIF(current_setting(...), '')
                var first = i;
                var last = close;
                var empty = close + 2;
                var guardClose = empty < tokens.Count ? SkipCasts(tokens, empty) + 1 : -1;
                var guarded = i >= 2 && tokens[i - 1].Kind == SqlTokenKind.OpenParen && Is(script, tokens[i - 2], "nullif")
                    && guardClose > 0 && guardClose < tokens.Count && tokens[close + 1].Kind == SqlTokenKind.Comma && script.StringValue(tokens[empty]) == string.Empty
                    && tokens[guardClose].Kind == SqlTokenKind.CloseParen;
                if (guarded)
                {
                    first = i - 2;
                    last = guardClose;
                }

                // (NULLIF(...))::uuid, as PostgreSQL writes it: the redundant parentheses around the call.
                while (first >= 1 && last + 1 < tokens.Count && tokens[first - 1].Kind == SqlTokenKind.OpenParen && tokens[last + 1].Kind == SqlTokenKind.CloseParen
                    && !(first >= 2 && Is(script, tokens[first - 2], "cast"))
                    && (first < 2 || tokens[first - 2].Kind != SqlTokenKind.Identifier || IsKeyword(script, tokens[first - 2])))
                {
                    first--;
                    last++;
                }

                // ...::type, or CAST(... AS type)
                string? cast = null;
                if (last + 2 < tokens.Count && tokens[last + 1].Kind == SqlTokenKind.Cast)
                {
                    cast = script.TextOf(tokens[last + 2]);
                    last += 2;
                    if (last + 1 < tokens.Count && (Is(script, tokens[last + 1], "varying") || Is(script, tokens[last + 1], "precision")))
                    {
                        last++; // character varying, double precision: as PostgreSQL prints varchar and float8
                    }
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

        /// <summary>The expression's tokens without trivia, and which of them sit inside a parenthesized SELECT: (SELECT ...).</summary>
        private static (SqlScript Script, List<SqlToken> Tokens, bool[] InSelect) Tokens(string expression)
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

            return (script, tokens, inSelect);
        }

        /// <summary>The last token of a value and the casts that follow it (<c>'x'::text</c>): <paramref name="index"/> when none does.</summary>
        private static int SkipCasts(List<SqlToken> tokens, int index)
        {
            while (index + 2 < tokens.Count && tokens[index + 1].Kind == SqlTokenKind.Cast && tokens[index + 2].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
            {
                index += 2;
            }

            return index;
        }

        /// <summary>A word before a parenthesis that makes it a grouping, not a function call's argument list.</summary>
        private static bool IsKeyword(SqlScript script, SqlToken token) =>
            script.TextOf(token).ToLowerInvariant() is "select" or "and" or "or" or "not" or "when" or "then" or "else" or "in" or "is" or "using" or "check";

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
