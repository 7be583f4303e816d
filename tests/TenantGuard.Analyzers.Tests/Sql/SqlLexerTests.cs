using System.Linq;
using TenantGuard.Analyzers.Sql;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Sql
{
    public class SqlLexerTests
    {
        private static (SqlTokenKind Kind, string Text)[] Lex(string sql) =>
            SqlLexer.Tokenize(sql).Where(t => t.Kind != SqlTokenKind.Whitespace).Select(t => (t.Kind, t.GetText(sql))).ToArray();

        private static SqlTokenKind Single(string sql)
        {
            var tokens = SqlLexer.Tokenize(sql);
            Assert.Single(tokens);
            Assert.Equal(sql.Length, tokens[0].Length);
            return tokens[0].Kind;
        }

        [Theory]
        [InlineData("'abc'")]
        [InlineData("'it''s'")]
        [InlineData("''")]
        [InlineData("E'a\\'b'")]
        [InlineData("e'tab\\t'")]
        [InlineData("E'a''b'")]
        [InlineData("U&'d\\0061t'")]
        [InlineData("B'0101'")]
        [InlineData("X'ff'")]
        [InlineData("N'national'")]
        [InlineData("'a -- not a comment'")]
        [InlineData("'a /* not a comment */'")]
        [InlineData("'@notparam :notparam $1'")]
        public void Strings_are_one_token(string sql) => Assert.Equal(SqlTokenKind.String, Single(sql));

        [Fact]
        public void Standard_string_backslash_does_not_escape()
        {
            // standard_conforming_strings: 'a\' is a complete string.
            var tokens = Lex("'a\\' x");
            Assert.Equal((SqlTokenKind.String, "'a\\'"), tokens[0]);
            Assert.Equal((SqlTokenKind.Identifier, "x"), tokens[1]);
        }

        [Theory]
        [InlineData("$$body$$")]
        [InlineData("$fn$ select 'x'; $$ nested $$ $fn$")]
        [InlineData("$a_1$ :p @p $1 -- $a_1$")]
        [InlineData("$$$$")]
        public void Dollar_quotes_are_one_token(string sql) => Assert.Equal(SqlTokenKind.DollarString, Single(sql));

        [Fact]
        public void Dollar_quote_tag_must_match()
        {
            var tokens = SqlLexer.Tokenize("$a$ x $b$ y $a$ z");
            Assert.Equal(SqlTokenKind.DollarString, tokens[0].Kind);
            Assert.Equal("$a$ x $b$ y $a$", tokens[0].GetText("$a$ x $b$ y $a$ z"));
        }

        [Theory]
        [InlineData("-- comment")]
        [InlineData("/* block */")]
        [InlineData("/* outer /* inner */ still */")]
        public void Comments_are_one_token(string sql) => Assert.Contains(Single(sql), new[] { SqlTokenKind.LineComment, SqlTokenKind.BlockComment });

        [Fact]
        public void Line_comment_ends_at_newline()
        {
            var tokens = Lex("-- x :p\nselect");
            Assert.Equal(SqlTokenKind.LineComment, tokens[0].Kind);
            Assert.Equal((SqlTokenKind.Identifier, "select"), tokens[1]);
        }

        [Theory]
        [InlineData("\"Tenant Id\"")]
        [InlineData("\"a\"\"b\"")]
        [InlineData("U&\"d\\0061t\"")]
        public void Quoted_identifiers_are_one_token(string sql) => Assert.Equal(SqlTokenKind.QuotedIdentifier, Single(sql));

        [Theory]
        [InlineData(":name")]
        [InlineData("@name")]
        [InlineData(":_x1")]
        [InlineData("@TenantId")]
        public void Named_placeholders(string sql) => Assert.Equal(SqlTokenKind.NamedParameter, Single(sql));

        [Theory]
        [InlineData("$1")]
        [InlineData("$12")]
        public void Positional_placeholders(string sql) => Assert.Equal(SqlTokenKind.PositionalParameter, Single(sql));

        [Fact]
        public void Placeholder_cast_is_placeholder_then_cast_then_type()
        {
            Assert.Equal(
                new[] { (SqlTokenKind.NamedParameter, ":p"), (SqlTokenKind.Cast, "::"), (SqlTokenKind.Identifier, "jsonb") },
                Lex(":p::jsonb"));
            Assert.Equal(
                new[] { (SqlTokenKind.NamedParameter, "@p"), (SqlTokenKind.Cast, "::"), (SqlTokenKind.Identifier, "jsonb") },
                Lex("@p::jsonb"));
            Assert.Equal(
                new[] { (SqlTokenKind.PositionalParameter, "$1"), (SqlTokenKind.Cast, "::"), (SqlTokenKind.Identifier, "jsonb") },
                Lex("$1::jsonb"));
        }

        [Fact]
        public void Column_cast_is_not_a_placeholder()
        {
            Assert.Equal(
                new[] { (SqlTokenKind.Identifier, "x"), (SqlTokenKind.Cast, "::"), (SqlTokenKind.Identifier, "text") },
                Lex("x::text"));
        }

        [Theory]
        [InlineData("a := 1", SqlTokenKind.Operator, ":=")]
        [InlineData("j @> '{}'", SqlTokenKind.Operator, "@>")]
        [InlineData("a <@ b", SqlTokenKind.Operator, "<@")]
        [InlineData("a || b", SqlTokenKind.Operator, "||")]
        [InlineData("arr[1:2]", SqlTokenKind.Other, ":")]
        public void Operators_are_not_placeholders(string sql, object kind, string text) =>
            Assert.Contains(((SqlTokenKind)kind, text), Lex(sql));

        [Fact]
        public void Operator_run_stops_at_comment()
        {
            var tokens = Lex("a =-- c\n1");
            Assert.Equal((SqlTokenKind.Operator, "="), tokens[1]);
            Assert.Equal(SqlTokenKind.LineComment, tokens[2].Kind);
        }

        [Theory]
        [InlineData("42")]
        [InlineData("3.14")]
        [InlineData(".5")]
        [InlineData("1e10")]
        [InlineData("2.5E-3")]
        [InlineData("1_000")]
        public void Numbers(string sql) => Assert.Equal(SqlTokenKind.Number, Single(sql));

        [Fact]
        public void Identifiers_may_contain_dollar_and_non_ascii()
        {
            Assert.Equal(SqlTokenKind.Identifier, Single("a$b"));
            Assert.Equal(SqlTokenKind.Identifier, Single("größe"));
        }

        [Theory]
        [InlineData("'open")]
        [InlineData("\"open")]
        [InlineData("/* open")]
        [InlineData("$$ open")]
        [InlineData("E'open\\'")]
        public void Unterminated_constructs_run_to_the_end(string sql)
        {
            var tokens = SqlLexer.Tokenize(sql);
            Assert.Single(tokens);
            Assert.True(tokens[0].IsUnterminated);
            Assert.Equal(sql.Length, tokens[0].Length);
        }

        [Fact]
        public void Holes_are_tokens_of_their_own()
        {
            var sql = "SET app.tenant_id = " + SqlLexer.TextHoleChar + " ; select " + SqlLexer.ParameterHoleChar;
            var kinds = Lex(sql).Select(t => t.Kind).ToArray();
            Assert.Contains(SqlTokenKind.TextHole, kinds);
            Assert.Contains(SqlTokenKind.ParameterHole, kinds);
        }

        [Fact]
        public void Tokens_cover_the_text_exactly()
        {
            const string sql = "SELECT E'x\\'', $t$ ; $t$, \"q\"\"i\", :a::jsonb /* c /* n */ */ -- l\n FROM t WHERE x @> @b AND y = $1;";
            var tokens = SqlLexer.Tokenize(sql);
            var position = 0;
            foreach (var token in tokens)
            {
                Assert.Equal(position, token.Start);
                Assert.True(token.Length > 0);
                position = token.End;
            }

            Assert.Equal(sql.Length, position);
        }

        [Theory]
        [InlineData("")]
        [InlineData("$")]
        [InlineData(":")]
        [InlineData("@")]
        [InlineData("E")]
        [InlineData("U&")]
        [InlineData("'")]
        [InlineData("\\")]
        [InlineData("{0}")]
        public void Odd_input_never_throws(string sql)
        {
            var tokens = SqlLexer.Tokenize(sql);
            Assert.Equal(sql.Length, tokens.Sum(t => t.Length));
        }

        /// <summary>Whether the tokens hold a named placeholder, then trivia only, then '::' (what TG1002 looks for).</summary>
        private static bool LexesNamedParameterCast(string sql, bool atPrefix)
        {
            var tokens = SqlLexer.Tokenize(sql);
            for (var i = 0; i < tokens.Length; i++)
            {
                if (tokens[i].Kind != SqlTokenKind.NamedParameter || !(sql[tokens[i].Start] == ':' || (atPrefix && sql[tokens[i].Start] == '@')))
                {
                    continue;
                }

                var next = i + 1;
                while (next < tokens.Length && tokens[next].IsTrivia)
                {
                    next++;
                }

                if (next < tokens.Length && tokens[next].Kind == SqlTokenKind.Cast)
                {
                    return true;
                }
            }

            return false;
        }

        [Theory]
        [InlineData(":p::jsonb", false, true)]
        [InlineData("SELECT :p ::jsonb", false, true)]
        [InlineData("SELECT :p\n\t::jsonb", false, true)]
        [InlineData("x = :p_1::int[]", false, true)]
        [InlineData("x = @p::int", true, true)]
        [InlineData("x = :p /* note */ ::int", false, true)]
        [InlineData("x = :p -- note\n::int", false, true)]
        [InlineData("SELECT :\u00e9t\u00e9::text", false, true)]
        [InlineData("x = @p::int", false, false)]
        [InlineData("SELECT 1::int", false, false)]
        [InlineData("SELECT '1'::int, now()::date, (a)::text, \"c\"::text", true, false)]
        [InlineData("SELECT col::text FROM t", true, false)]
        [InlineData("SELECT x::text, :p", false, false)]
        [InlineData("SELECT ::", false, false)]
        [InlineData("::", true, false)]
        [InlineData("SELECT a:::p::int", false, true)]
        [InlineData("", false, false)]
        public void The_cast_prefilter_is_a_prerequisite_of_the_tokens(string escaped, bool atPrefix, bool expected)
        {
            var sql = System.Text.RegularExpressions.Regex.Unescape(escaped);
            var may = SqlLexer.MayCastNamedParameter(sql, atPrefix);
            Assert.Equal(expected, may);

            // Never false where the lexer finds the pair: the prefilter may only spare text that has none.
            Assert.True(may || !LexesNamedParameterCast(sql, atPrefix));
        }

        [Fact]
        public void The_cast_prefilter_never_hides_a_pair_the_lexer_finds()
        {
            // Every short text over the characters that matter, both prefixes: where the lexer finds a placeholder cast,
            // the prefilter says it may be there.
            var alphabet = new[] { ":", "@", "p", "1", " ", "\n", "'", "-", "/", "*", "$", "\"", "(" };
            var texts = new System.Collections.Generic.List<string> { string.Empty };
            for (var length = 0; length < 5; length++)
            {
                var next = new System.Collections.Generic.List<string>();
                foreach (var text in texts)
                {
                    foreach (var c in alphabet)
                    {
                        next.Add(text + System.Text.RegularExpressions.Regex.Unescape(c));
                    }
                }

                texts = next;
                foreach (var text in texts)
                {
                    foreach (var tail in new[] { "::int", " ::int", "p::int" })
                    {
                        foreach (var atPrefix in new[] { false, true })
                        {
                            var sql = text + tail;
                            Assert.True(SqlLexer.MayCastNamedParameter(sql, atPrefix) || !LexesNamedParameterCast(sql, atPrefix), sql);
                        }
                    }
                }
            }
        }
    }
}
