using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace TenantGuard.Analyzers.Sql
{
    /// <summary>SQL text split into tokens and <c>;</c>-separated statements.</summary>
    internal sealed class SqlScript
    {
        private SqlScript(string text, ImmutableArray<SqlToken> tokens)
        {
            Text = text;
            Tokens = tokens;
            Statements = Split(this);
        }

        public string Text { get; }

        public ImmutableArray<SqlToken> Tokens { get; }

        public ImmutableArray<SqlStatement> Statements { get; }

        public static SqlScript Parse(string text) => new(text, SqlLexer.Tokenize(text));

        public string TextOf(SqlToken token) => token.GetText(Text);

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static ImmutableArray<SqlStatement> Split(SqlScript script)
        {
            var significant = new List<SqlToken>(script.Tokens.Length);
            foreach (var token in script.Tokens)
            {
                if (!token.IsTrivia)
                {
                    significant.Add(token);
                }
            }

            var statements = ImmutableArray.CreateBuilder<SqlStatement>();
            var current = ImmutableArray.CreateBuilder<SqlToken>();
            var i = 0;
            while (i < significant.Count)
            {
                var token = significant[i];
                if (token.Kind == SqlTokenKind.Semicolon)
                {
                    Flush();
                    i++;
                    continue;
                }

                if (current.Count == 0 && SetStatementEnd(script, significant, i) is { } end && end < significant.Count)
                {
                    // A SET ends at the end of its value even without ';' (T-SQL batches: "set nocount on insert ...").
                    for (; i < end; i++)
                    {
                        current.Add(significant[i]);
                    }

                    Flush();
                    continue;
                }

                current.Add(token);
                i++;
            }

            Flush();
            return statements.ToImmutable();

            void Flush()
            {
                if (current.Count > 0)
                {
                    statements.Add(new SqlStatement(script, statements.Count, current.ToImmutable()));
                    current.Clear();
                }
            }
        }

        /// <summary>
        /// Where a <c>SET [SESSION | LOCAL] name { TO | = } value [, ...]</c> starting at <paramref name="start"/> ends (the
        /// index after its value), or null when the tokens there are not that form (the other SET forms, such as
        /// <c>SET TIME ZONE</c> or <c>SET TRANSACTION</c>, end at <c>;</c>). A T-SQL <c>SET name on</c> ends after its word.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static int? SetStatementEnd(SqlScript script, List<SqlToken> tokens, int start)
        {
            if (Word(start) != "set")
            {
                return null;
            }

            var i = start + 1;
            if (Word(i) is "local" or "session")
            {
                i++;
            }

            if (Word(i) is "transaction" or "constraints" or "role" or "names" or "schema" or "characteristics" or "authorization" or "xml" or "session"
                || (Word(i) == "time" && Word(i + 1) == "zone"))
            {
                return null;
            }

            // The name: identifiers joined by dots.
            var named = false;
            while (i < tokens.Count && tokens[i].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
            {
                named = true;
                i++;
                if (i < tokens.Count && tokens[i].Kind == SqlTokenKind.Dot)
                {
                    i++;
                    continue;
                }

                break;
            }

            if (!named || i >= tokens.Count)
            {
                return null;
            }

            if ((tokens[i].Kind == SqlTokenKind.Operator && script.TextOf(tokens[i]) == "=") || Word(i) == "to")
            {
                i++;
            }
            else if (tokens[i].Kind is not (SqlTokenKind.Identifier or SqlTokenKind.Number))
            {
                return null;
            }
            else
            {
                return i + 1; // SET NOCOUNT ON
            }

            while (true)
            {
                if (ValueEnd(i) is not { } next)
                {
                    return null;
                }

                i = next;
                if (i < tokens.Count && tokens[i].Kind == SqlTokenKind.Comma)
                {
                    i++;
                    continue;
                }

                return i;
            }

            // One value: [+|-] a word, number, string, placeholder or C# hole, with whatever is glued to it.
            int? ValueEnd(int at)
            {
                if (at < tokens.Count && tokens[at].Kind == SqlTokenKind.Operator && script.TextOf(tokens[at]) is "-" or "+")
                {
                    at++;
                }

                if (at >= tokens.Count || tokens[at].Kind is not (SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.String
                    or SqlTokenKind.DollarString or SqlTokenKind.Number or SqlTokenKind.NamedParameter or SqlTokenKind.PositionalParameter
                    or SqlTokenKind.ParameterHole or SqlTokenKind.TextHole))
                {
                    return null;
                }

                at++;
                while (at < tokens.Count && tokens[at].Start == tokens[at - 1].End
                    && tokens[at].Kind is not (SqlTokenKind.Semicolon or SqlTokenKind.Comma))
                {
                    at++;
                }

                return at;
            }

            string Word(int index) => index < tokens.Count && tokens[index].Kind == SqlTokenKind.Identifier
                ? script.TextOf(tokens[index]).ToLowerInvariant()
                : string.Empty;
        }

        /// <summary>The value of a string token (<c>'it''s'</c> is <c>it's</c>), or null when it is not a plain string.</summary>
        public string? StringValue(SqlToken token)
        {
            if (token.Kind == SqlTokenKind.DollarString && !token.IsUnterminated)
            {
                // $tag$body$tag$: the body as written, no escapes.
                var text = TextOf(token);
                var tag = text.IndexOf('$', 1) + 1;
                var content = text.Substring(tag, text.Length - 2 * tag);
                return content.IndexOf(SqlLexer.TextHoleChar) >= 0 || content.IndexOf(SqlLexer.ParameterHoleChar) >= 0 ? null : content;
            }

            if (token.Kind != SqlTokenKind.String || token.IsUnterminated)
            {
                return null;
            }

            var raw = TextOf(token);
            var quote = raw.IndexOf('\'');
            var prefix = raw.Substring(0, quote);
            if (prefix.Length > 0 && !prefix.Equals("E", StringComparison.OrdinalIgnoreCase) && !prefix.Equals("N", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var body = raw.Substring(quote + 1, raw.Length - quote - 2);
            return body.IndexOf(SqlLexer.TextHoleChar) >= 0 || body.IndexOf(SqlLexer.ParameterHoleChar) >= 0
                ? null
                : body.Replace("''", "'");
        }

        /// <summary>The name an identifier token stands for: folded to lower case unless quoted.</summary>
        public string? IdentifierValue(SqlToken token) => token.Kind switch
        {
            SqlTokenKind.Identifier => TextOf(token).ToLowerInvariant(),
            SqlTokenKind.QuotedIdentifier when !token.IsUnterminated && TextOf(token).StartsWith("\"", StringComparison.Ordinal) =>
                TextOf(token).Substring(1, token.Length - 2).Replace("\"\"", "\""),
            _ => null,
        };
    }
}
