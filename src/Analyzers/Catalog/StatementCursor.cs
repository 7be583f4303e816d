using System;
using System.Collections.Immutable;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>Reads the significant tokens of one statement: words, qualified names, parenthesized lists.</summary>
    internal readonly struct StatementCursor
    {
        public StatementCursor(SqlScript script, ImmutableArray<SqlToken> tokens)
        {
            Script = script;
            Tokens = tokens;
        }

        public SqlScript Script { get; }

        public ImmutableArray<SqlToken> Tokens { get; }

        public int Length => Tokens.Length;

        public int Start => Tokens.Length == 0 ? 0 : Tokens[0].Start;

        public int End => Tokens.Length == 0 ? 0 : Tokens[Tokens.Length - 1].End;

        /// <summary>The unquoted keyword or identifier at an index, in lower case, or an empty string.</summary>
        public string Word(int index) => index >= 0 && index < Tokens.Length && Tokens[index].Kind == SqlTokenKind.Identifier
            ? Script.TextOf(Tokens[index]).ToLowerInvariant()
            : string.Empty;

        public bool Is(int index, string word) => Word(index) == word;

        public bool IsKind(int index, SqlTokenKind kind) => index >= 0 && index < Tokens.Length && Tokens[index].Kind == kind;

        public bool IsOperator(int index, string text) => IsKind(index, SqlTokenKind.Operator) && Script.TextOf(Tokens[index]) == text;

        /// <summary>Skips <c>IF EXISTS</c> / <c>IF NOT EXISTS</c>.</summary>
        public int SkipIfExists(int index)
        {
            if (Is(index, "if") && Is(index + 1, "not") && Is(index + 2, "exists"))
            {
                return index + 3;
            }

            return Is(index, "if") && Is(index + 1, "exists") ? index + 2 : index;
        }

        /// <summary>
        /// Reads a possibly qualified name (<c>public.contacts</c>, <c>"Tenant Rows"</c>) at an index: the last part,
        /// and the part before it as the schema. Null when the token there is no identifier (a hole spliced in at run time).
        /// </summary>
        public string? Name(ref int index, out string? schema)
        {
            schema = null;
            string? name = null;
            while (index < Tokens.Length)
            {
                var part = Script.IdentifierValue(Tokens[index]);
                if (part is null)
                {
                    break;
                }

                if (part.IndexOf(SqlLexer.TextHoleChar) >= 0 || part.IndexOf(SqlLexer.ParameterHoleChar) >= 0)
                {
                    schema = null;
                    return null; // "{table}": spliced in at run time
                }

                schema = name;
                name = part;
                index++;
                if (index < Tokens.Length && Tokens[index].Kind == SqlTokenKind.Dot)
                {
                    index++;
                    continue;
                }

                break;
            }

            return name;
        }

        public string? Name(ref int index) => Name(ref index, out _);

        /// <summary>The index of the parenthesis closing the one at <paramref name="open"/>, or -1.</summary>
        public int Close(int open)
        {
            var depth = 0;
            for (var i = open; i < Tokens.Length; i++)
            {
                if (Tokens[i].Kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket)
                {
                    depth++;
                }
                else if (Tokens[i].Kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
                {
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }
                }
            }

            return -1;
        }

        /// <summary>The tokens strictly between a parenthesis and its match, split at commas of that level.</summary>
        public ImmutableArray<ImmutableArray<SqlToken>> Items(int open, out int close)
        {
            close = Close(open);
            var result = ImmutableArray.CreateBuilder<ImmutableArray<SqlToken>>();
            if (close < 0)
            {
                return result.ToImmutable();
            }

            var current = ImmutableArray.CreateBuilder<SqlToken>();
            var depth = 0;
            for (var i = open + 1; i < close; i++)
            {
                var token = Tokens[i];
                if (token.Kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket)
                {
                    depth++;
                }
                else if (token.Kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
                {
                    depth--;
                }
                else if (token.Kind == SqlTokenKind.Comma && depth == 0)
                {
                    result.Add(current.ToImmutable());
                    current.Clear();
                    continue;
                }

                current.Add(token);
            }

            if (current.Count > 0)
            {
                result.Add(current.ToImmutable());
            }

            return result.ToImmutable();
        }

        /// <summary>The identifiers of a parenthesized list of plain names (<c>(tenant_id, id)</c>).</summary>
        public ImmutableArray<string> NameList(int open, out int close)
        {
            var result = ImmutableArray.CreateBuilder<string>();
            foreach (var item in Items(open, out close))
            {
                if (item.Length > 0 && Script.IdentifierValue(item[0]) is { } name)
                {
                    result.Add(name);
                }
            }

            return result.ToImmutable();
        }

        /// <summary>The tokens from an index to the end, or up to (not including) an index.</summary>
        public StatementCursor Slice(int start, int end = int.MaxValue)
        {
            end = Math.Min(end, Tokens.Length);
            return start >= end ? new StatementCursor(Script, ImmutableArray<SqlToken>.Empty) : new StatementCursor(Script, Tokens.Skip(start, end - start));
        }

        /// <summary>The statement split at commas outside parentheses (the actions of <c>ALTER TABLE</c>).</summary>
        public ImmutableArray<StatementCursor> SplitTopLevel()
        {
            var result = ImmutableArray.CreateBuilder<StatementCursor>();
            var depth = 0;
            var start = 0;
            for (var i = 0; i < Tokens.Length; i++)
            {
                var kind = Tokens[i].Kind;
                if (kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket)
                {
                    depth++;
                }
                else if (kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
                {
                    depth--;
                }
                else if (kind == SqlTokenKind.Comma && depth == 0)
                {
                    result.Add(Slice(start, i));
                    start = i + 1;
                }
            }

            result.Add(Slice(start));
            return result.ToImmutable();
        }

        public string Text(int start, int end)
        {
            if (start >= end || start >= Tokens.Length)
            {
                return string.Empty;
            }

            end = Math.Min(end, Tokens.Length);
            var from = Tokens[start].Start;
            var to = Tokens[end - 1].End;
            return FoldWhitespace(Script.Text.Substring(from, to - from))
                .Replace(SqlLexer.TextHoleChar.ToString(), "{…}")
                .Replace(SqlLexer.ParameterHoleChar.ToString(), "{…}");
        }

        public string Text() => Text(0, Tokens.Length);

        internal static string FoldWhitespace(string text)
        {
            var builder = new System.Text.StringBuilder(text.Length);
            var space = false;
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = builder.Length > 0;
                    continue;
                }

                if (space)
                {
                    builder.Append(' ');
                    space = false;
                }

                builder.Append(c);
            }

            return builder.ToString();
        }
    }
}
