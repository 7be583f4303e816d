using System;
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

        private static ImmutableArray<SqlStatement> Split(SqlScript script)
        {
            var statements = ImmutableArray.CreateBuilder<SqlStatement>();
            var current = ImmutableArray.CreateBuilder<SqlToken>();
            foreach (var token in script.Tokens)
            {
                if (token.IsTrivia)
                {
                    continue;
                }

                if (token.Kind == SqlTokenKind.Semicolon)
                {
                    Flush();
                    continue;
                }

                current.Add(token);
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

        /// <summary>The value of a string token (<c>'it''s'</c> is <c>it's</c>), or null when it is not a plain string.</summary>
        public string? StringValue(SqlToken token)
        {
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
