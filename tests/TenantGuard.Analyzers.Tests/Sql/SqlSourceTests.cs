using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers.Sql;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Sql
{
    /// <summary>The source map of SQL read from C#: every character back to the source text that wrote it.</summary>
    public class SqlSourceTests
    {
        private const string Code = """
            class C
            {
                string a = "SELECT 1";
                string b = "a\tb";
                string c = @"x""y";
                string d = "SELECT {0}";
            }
            """;

        private static readonly SyntaxTree Tree = CSharpSyntaxTree.ParseText(Code);

        private static SyntaxToken Literal(string field)
        {
            foreach (var declarator in Tree.GetRoot().DescendantNodes())
            {
                if (declarator is VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax literal } v && v.Identifier.Text == field)
                {
                    return literal.Token;
                }
            }

            throw new System.InvalidOperationException(field);
        }

        private static string TextAt(Location? location) => Code.Substring(location!.SourceSpan.Start, location.SourceSpan.Length);

        private static SqlSource Source(params string[] fields)
        {
            var builder = new SqlSource.Builder();
            foreach (var field in fields)
            {
                builder.AppendSeparator();
                var token = Literal(field);
                LiteralMap.Append(builder, token, token.ValueText);
            }

            return builder.ToSource();
        }

        [Fact]
        public void A_literal_without_escapes_maps_character_for_character()
        {
            var source = Source("a");
            Assert.Equal("SELECT 1", source.Text);
            Assert.Equal("SELECT", TextAt(source.GetLocation(0, 6)));
            Assert.Equal("1", TextAt(source.GetLocation(7, 8)));
            Assert.Equal("SELECT 1", TextAt(source.GetLocation(0, 100)));
        }

        [Fact]
        public void An_escape_maps_to_both_of_its_source_characters()
        {
            var source = Source("b");
            Assert.Equal("a\tb", source.Text);
            Assert.Equal("\\t", TextAt(source.GetLocation(1, 2)));
            Assert.Equal("b", TextAt(source.GetLocation(2, 3)));
            Assert.Equal("a\\tb", TextAt(source.GetLocation(0, 3)));
        }

        [Fact]
        public void A_doubled_quote_of_a_verbatim_string_maps_to_both_quotes()
        {
            var source = Source("c");
            Assert.Equal("x\"y", source.Text);
            Assert.Equal("\"\"", TextAt(source.GetLocation(1, 2)));
            Assert.Equal("y", TextAt(source.GetLocation(2, 3)));
        }

        [Fact]
        public void The_commands_of_a_batch_keep_their_own_spans_across_the_separator()
        {
            var source = Source("a", "b");
            Assert.Equal("SELECT 1;\na\tb", source.Text);
            Assert.Null(source.GetLocation(8, 10));
            Assert.Equal("a", TextAt(source.GetLocation(10, 11)));
            Assert.Equal("1", TextAt(source.GetLocation(7, 10)));

            // AppendSource shifts the map of what it appends.
            var outer = new SqlSource.Builder();
            outer.AppendCoarse("X", Tree, new TextSpan(0, 5));
            outer.AppendSource(source);
            var shifted = outer.ToSource();
            Assert.Equal("class", TextAt(shifted.GetLocation(0, 1)));
            Assert.Equal("a", TextAt(shifted.GetLocation(11, 12)));
        }

        [Fact]
        public void Coarse_text_maps_every_character_to_the_whole_span()
        {
            var builder = new SqlSource.Builder();
            builder.AppendCoarse("SELECT 2", Tree, new TextSpan(0, 7));
            var source = builder.ToSource();
            Assert.Equal("class C", TextAt(source.GetLocation(3, 4)));
        }

        [Fact]
        public void Format_placeholders_become_parameter_holes_mapped_to_the_placeholder()
        {
            var source = Source("d").WithFormatPlaceholdersBound();
            Assert.Equal("SELECT " + SqlLexer.ParameterHoleChar, source.Text);
            Assert.Equal("{0}", TextAt(source.GetLocation(7, 8)));
            Assert.Equal("SELECT", TextAt(source.GetLocation(0, 6)));
        }

        [Fact]
        public void Mapped_to_a_node_every_character_points_at_it()
        {
            var node = Literal("b").Parent!;
            var source = Source("a").MappedTo(node);
            Assert.Equal("\"a\\tb\"", TextAt(source.GetLocation(2, 3)));
        }
    }
}
