using System.Collections.Immutable;

namespace TenantGuard.Analyzers.Sql
{
    /// <summary>
    /// A lexer for PostgreSQL SQL as it appears in C# strings, following the server's own scanner
    /// (src/backend/parser/scan.l) where it matters for TenantGuard: string forms (standard, E'', U&amp;'',
    /// B'', X'', N'', dollar quotes), nested block comments, quoted identifiers, the placeholders
    /// that Npgsql and Dapper rewrite (<c>:name</c>, <c>@name</c>, <c>$1</c>) and the <c>::</c> cast.
    /// It never throws: unterminated constructs run to the end of the text and are marked.
    /// </summary>
    internal static class SqlLexer
    {
        /// <summary>Stands in the text for a value the C# side binds as a parameter.</summary>
        public const char ParameterHoleChar = '\uFFFE';

        /// <summary>Stands in the text for text the C# side splices in at run time.</summary>
        public const char TextHoleChar = '\uFFFF';

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static ImmutableArray<SqlToken> Tokenize(string sql)
        {
            var tokens = ImmutableArray.CreateBuilder<SqlToken>();
            var i = 0;
            while (i < sql.Length)
            {
                var token = Next(sql, i);
                tokens.Add(token);
                i = token.End;
            }

            return tokens.ToImmutable();
        }

        /// <summary>
        /// Whether the text may hold a named placeholder cast with <c>::</c> (<c>:name::jsonb</c>, with
        /// <paramref name="atPrefix"/> also <c>@name::jsonb</c>), read from the characters alone: an exact
        /// prerequisite of such a pair of tokens, so that text without one (most casts follow a literal, a column or a
        /// parenthesis) is never lexed for it. Before each <c>::</c>, after whitespace, a run of parameter-name characters
        /// must follow a <c>:</c> or <c>@</c>; text with a comment, which may sit between the two, always may.
        /// </summary>
        public static bool MayCastNamedParameter(string sql, bool atPrefix)
        {
            var cast = sql.IndexOf("::", System.StringComparison.Ordinal);
            if (cast < 0)
            {
                return false;
            }

            if (sql.IndexOf("--", System.StringComparison.Ordinal) >= 0 || sql.IndexOf("/*", System.StringComparison.Ordinal) >= 0)
            {
                return true;
            }

            for (; cast >= 0; cast = sql.IndexOf("::", cast + 1, System.StringComparison.Ordinal))
            {
                var j = cast - 1;
                while (j >= 0 && IsWhitespace(sql[j]))
                {
                    j--;
                }

                var nameEnd = j;
                while (j >= 0 && IsParameterNamePart(sql[j]))
                {
                    j--;
                }

                if (j >= 0 && j < nameEnd && (sql[j] == ':' || (atPrefix && sql[j] == '@')))
                {
                    return true;
                }
            }

            return false;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static SqlToken Next(string s, int i)
        {
            var c = s[i];
            var next = i + 1 < s.Length ? s[i + 1] : '\0';

            if (IsWhitespace(c))
            {
                var j = i + 1;
                while (j < s.Length && IsWhitespace(s[j]))
                {
                    j++;
                }

                return new SqlToken(SqlTokenKind.Whitespace, i, j - i);
            }

            if (c == '-' && next == '-')
            {
                var j = i + 2;
                while (j < s.Length && s[j] != '\n' && s[j] != '\r')
                {
                    j++;
                }

                return new SqlToken(SqlTokenKind.LineComment, i, j - i);
            }

            if (c == '/' && next == '*')
            {
                return BlockComment(s, i);
            }

            switch (c)
            {
                case ParameterHoleChar:
                    return new SqlToken(SqlTokenKind.ParameterHole, i, 1);
                case TextHoleChar:
                    return new SqlToken(SqlTokenKind.TextHole, i, 1);
                case '\'':
                    return QuotedString(s, i, i + 1, backslashEscapes: false);
                case '"':
                    return QuotedIdentifier(s, i, i + 1);
                case '$':
                    return Dollar(s, i);
                case ':':
                    if (next == ':')
                    {
                        return new SqlToken(SqlTokenKind.Cast, i, 2);
                    }

                    if (next == '=')
                    {
                        return new SqlToken(SqlTokenKind.Operator, i, 2);
                    }

                    return IsIdentifierStart(next) ? NamedParameter(s, i) : new SqlToken(SqlTokenKind.Other, i, 1);
                case '@':
                    return IsIdentifierStart(next) ? NamedParameter(s, i) : OperatorRun(s, i);
                case ';':
                    return new SqlToken(SqlTokenKind.Semicolon, i, 1);
                case ',':
                    return new SqlToken(SqlTokenKind.Comma, i, 1);
                case '(':
                    return new SqlToken(SqlTokenKind.OpenParen, i, 1);
                case ')':
                    return new SqlToken(SqlTokenKind.CloseParen, i, 1);
                case '[':
                    return new SqlToken(SqlTokenKind.OpenBracket, i, 1);
                case ']':
                    return new SqlToken(SqlTokenKind.CloseBracket, i, 1);
                case '.':
                    return IsDigit(next) ? Number(s, i) : new SqlToken(SqlTokenKind.Dot, i, 1);
            }

            if (IsDigit(c))
            {
                return Number(s, i);
            }

            if (IsIdentifierStart(c))
            {
                // Prefixed strings: E'..', B'..', X'..', N'..', U&'..' and U&"..".
                if (next == '\'')
                {
                    switch (c)
                    {
                        case 'e':
                        case 'E':
                            return QuotedString(s, i, i + 2, backslashEscapes: true);
                        case 'b':
                        case 'B':
                        case 'x':
                        case 'X':
                        case 'n':
                        case 'N':
                            return QuotedString(s, i, i + 2, backslashEscapes: false);
                    }
                }

                if ((c == 'u' || c == 'U') && next == '&' && i + 2 < s.Length)
                {
                    if (s[i + 2] == '\'')
                    {
                        return QuotedString(s, i, i + 3, backslashEscapes: false);
                    }

                    if (s[i + 2] == '"')
                    {
                        return QuotedIdentifier(s, i, i + 3);
                    }
                }

                var j = i + 1;
                while (j < s.Length && IsIdentifierPart(s[j]))
                {
                    j++;
                }

                return new SqlToken(SqlTokenKind.Identifier, i, j - i);
            }

            if (IsOperatorChar(c))
            {
                return OperatorRun(s, i);
            }

            return new SqlToken(SqlTokenKind.Other, i, 1);
        }

        private static SqlToken BlockComment(string s, int i)
        {
            // PostgreSQL block comments nest.
            var depth = 1;
            var j = i + 2;
            while (j < s.Length)
            {
                if (s[j] == '/' && j + 1 < s.Length && s[j + 1] == '*')
                {
                    depth++;
                    j += 2;
                }
                else if (s[j] == '*' && j + 1 < s.Length && s[j + 1] == '/')
                {
                    depth--;
                    j += 2;
                    if (depth == 0)
                    {
                        return new SqlToken(SqlTokenKind.BlockComment, i, j - i);
                    }
                }
                else
                {
                    j++;
                }
            }

            return new SqlToken(SqlTokenKind.BlockComment, i, s.Length - i, unterminated: true);
        }

        /// <param name="contentStart">Index just past the opening quote.</param>
        private static SqlToken QuotedString(string s, int start, int contentStart, bool backslashEscapes)
        {
            var j = contentStart;
            while (j < s.Length)
            {
                var c = s[j];
                if (backslashEscapes && c == '\\')
                {
                    j += 2;
                    continue;
                }

                if (c == '\'')
                {
                    if (j + 1 < s.Length && s[j + 1] == '\'')
                    {
                        j += 2;
                        continue;
                    }

                    return new SqlToken(SqlTokenKind.String, start, j + 1 - start);
                }

                j++;
            }

            return new SqlToken(SqlTokenKind.String, start, s.Length - start, unterminated: true);
        }

        private static SqlToken QuotedIdentifier(string s, int start, int contentStart)
        {
            var j = contentStart;
            while (j < s.Length)
            {
                if (s[j] == '"')
                {
                    if (j + 1 < s.Length && s[j + 1] == '"')
                    {
                        j += 2;
                        continue;
                    }

                    return new SqlToken(SqlTokenKind.QuotedIdentifier, start, j + 1 - start);
                }

                j++;
            }

            return new SqlToken(SqlTokenKind.QuotedIdentifier, start, s.Length - start, unterminated: true);
        }

        private static SqlToken Dollar(string s, int i)
        {
            // $1: positional parameter.
            if (i + 1 < s.Length && IsDigit(s[i + 1]))
            {
                var j = i + 1;
                while (j < s.Length && IsDigit(s[j]))
                {
                    j++;
                }

                return new SqlToken(SqlTokenKind.PositionalParameter, i, j - i);
            }

            // $$ or $tag$: the tag follows identifier rules but may not contain '$'.
            var k = i + 1;
            if (k < s.Length && IsIdentifierStart(s[k]))
            {
                k++;
                while (k < s.Length && IsIdentifierPart(s[k]) && s[k] != '$')
                {
                    k++;
                }
            }

            if (k < s.Length && s[k] == '$')
            {
                var tag = s.Substring(i, k + 1 - i);
                var close = s.IndexOf(tag, k + 1, System.StringComparison.Ordinal);
                return close < 0
                    ? new SqlToken(SqlTokenKind.DollarString, i, s.Length - i, unterminated: true)
                    : new SqlToken(SqlTokenKind.DollarString, i, close + tag.Length - i);
            }

            return new SqlToken(SqlTokenKind.Other, i, 1);
        }

        private static SqlToken NamedParameter(string s, int i)
        {
            var j = i + 2;
            while (j < s.Length && IsParameterNamePart(s[j]))
            {
                j++;
            }

            return new SqlToken(SqlTokenKind.NamedParameter, i, j - i);
        }

        private static SqlToken Number(string s, int i)
        {
            var j = i;
            while (j < s.Length && (IsDigit(s[j]) || s[j] == '_'))
            {
                j++;
            }

            if (j < s.Length && s[j] == '.' && !(j + 1 < s.Length && s[j + 1] == '.'))
            {
                j++;
                while (j < s.Length && (IsDigit(s[j]) || s[j] == '_'))
                {
                    j++;
                }
            }

            if (j < s.Length && (s[j] == 'e' || s[j] == 'E'))
            {
                var k = j + 1;
                if (k < s.Length && (s[k] == '+' || s[k] == '-'))
                {
                    k++;
                }

                if (k < s.Length && IsDigit(s[k]))
                {
                    j = k;
                    while (j < s.Length && IsDigit(s[j]))
                    {
                        j++;
                    }
                }
            }

            return new SqlToken(SqlTokenKind.Number, i, j - i);
        }

        private static SqlToken OperatorRun(string s, int i)
        {
            var j = i + 1;
            while (j < s.Length && IsOperatorChar(s[j]))
            {
                // A comment start ends the operator, as in the server's scanner.
                if ((s[j] == '-' && j + 1 < s.Length && s[j + 1] == '-') || (s[j] == '/' && j + 1 < s.Length && s[j + 1] == '*'))
                {
                    break;
                }

                j++;
            }

            return new SqlToken(SqlTokenKind.Operator, i, j - i);
        }

        private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v';

        private static bool IsDigit(char c) => c is >= '0' and <= '9';

        private static bool IsIdentifierStart(char c) =>
            c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (c >= '\u0080' && c != ParameterHoleChar && c != TextHoleChar);

        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c) || c == '$';

        private static bool IsParameterNamePart(char c) => IsIdentifierStart(c) || IsDigit(c);

        private static bool IsOperatorChar(char c) => c is '+' or '-' or '*' or '/' or '<' or '>' or '=' or '~' or '!' or '@' or '#' or '%' or '^' or '&' or '|' or '`' or '?';
    }
}
