using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// The SQL an execution site sends, as far as it is known at compile time, with a map from every character
    /// back to the C# source it came from, so that a diagnostic can point inside a string literal.
    /// Values the C# side splices in at run time stand as <see cref="SqlLexer.TextHoleChar"/>; values it binds
    /// (EF Core FormattableString holes) as <see cref="SqlLexer.ParameterHoleChar"/>.
    /// </summary>
    internal sealed class SqlSource
    {
        private readonly ImmutableArray<SyntaxTree?> _trees;
        private readonly ImmutableArray<int> _starts;
        private readonly ImmutableArray<int> _ends;
        private readonly ImmutableDictionary<int, IOperation> _holes;
        private SqlScript? _script;

        public SqlSource(string text, ImmutableArray<SyntaxTree?> trees, ImmutableArray<int> starts, ImmutableArray<int> ends, ImmutableDictionary<int, IOperation> holes)
        {
            Text = text;
            _trees = trees;
            _starts = starts;
            _ends = ends;
            _holes = holes;
        }

        public string Text { get; }

        public SqlScript Script => _script ??= SqlScript.Parse(Text);

        /// <summary>The C# expression spliced in at a hole character of <see cref="Text"/>.</summary>
        public IOperation? HoleAt(int index) => _holes.TryGetValue(index, out var hole) ? hole : null;

        /// <summary>
        /// The source location of the text range [start, end), or null when its characters do not all come from
        /// one syntax tree.
        /// </summary>
        public Location? GetLocation(int start, int end)
        {
            SyntaxTree? tree = null;
            var spanStart = int.MaxValue;
            var spanEnd = -1;
            for (var i = start; i < end && i < Text.Length; i++)
            {
                var charTree = _trees[i];
                if (charTree is null)
                {
                    continue;
                }

                if (tree is null)
                {
                    tree = charTree;
                }
                else if (tree != charTree)
                {
                    return null;
                }

                spanStart = System.Math.Min(spanStart, _starts[i]);
                spanEnd = System.Math.Max(spanEnd, _ends[i]);
            }

            return tree is null ? null : Location.Create(tree, TextSpan.FromBounds(spanStart, spanEnd));
        }

        /// <summary>
        /// The same SQL with every character mapped to one node (a helper's text shown at the call that wrote it: each
        /// caller reports at its own call, in its own file). The holes stay the helper's expressions.
        /// </summary>
        public SqlSource MappedTo(SyntaxNode node)
        {
            var builder = new Builder();
            for (var i = 0; i < Text.Length; i++)
            {
                if (_holes.TryGetValue(i, out var hole))
                {
                    builder.RegisterHole(hole);
                }

                builder.Append(Text[i], node.SyntaxTree, node.Span.Start, node.Span.End);
            }

            return builder.ToSource();
        }

        /// <summary>
        /// The same SQL with EF Core's raw-SQL placeholders (<c>{0}</c>, <c>{1}</c>: <c>ExecuteSqlRaw(sql, params object[])</c>)
        /// read as what they become, bind parameters, each mapped to the placeholder's text.
        /// </summary>
        public SqlSource WithFormatPlaceholdersBound()
        {
            var builder = new Builder();
            for (var i = 0; i < Text.Length; i++)
            {
                var close = i + 1;
                while (close < Text.Length && char.IsDigit(Text[close]))
                {
                    close++;
                }

                if (Text[i] == '{' && close > i + 1 && close < Text.Length && Text[close] == '}')
                {
                    builder.Append(SqlLexer.ParameterHoleChar, _trees[i], _starts[i], _ends[close]);
                    i = close;
                    continue;
                }

                if (_holes.TryGetValue(i, out var hole))
                {
                    builder.RegisterHole(hole);
                }

                builder.Append(Text[i], _trees[i], _starts[i], _ends[i]);
            }

            return builder.ToSource();
        }

        /// <summary>Accumulates text and its source map.</summary>
        internal sealed class Builder
        {
            private readonly System.Text.StringBuilder _text = new();
            private readonly ImmutableArray<SyntaxTree?>.Builder _trees = ImmutableArray.CreateBuilder<SyntaxTree?>();
            private readonly ImmutableArray<int>.Builder _starts = ImmutableArray.CreateBuilder<int>();
            private readonly ImmutableArray<int>.Builder _ends = ImmutableArray.CreateBuilder<int>();
            private readonly Dictionary<int, IOperation> _holes = new();

            public int Length => _text.Length;

            public bool HasKnownText { get; private set; }

            public void Append(char c, SyntaxTree? tree, int start, int end)
            {
                _text.Append(c);
                _trees.Add(tree);
                _starts.Add(start);
                _ends.Add(end);
                HasKnownText |= c != SqlLexer.TextHoleChar && c != SqlLexer.ParameterHoleChar;
            }

            /// <summary>Appends text whose characters all map to one span (a constant from elsewhere).</summary>
            public void AppendCoarse(string text, SyntaxTree tree, TextSpan span)
            {
                foreach (var c in text)
                {
                    Append(c, tree, span.Start, span.End);
                }
            }

            /// <summary>The next character appended stands for this spliced expression.</summary>
            public void RegisterHole(IOperation hole) => _holes[_text.Length] = hole;

            public void AppendHole(IOperation hole, bool bound)
            {
                _holes[_text.Length] = hole;

                // An interpolation hole covers its braces too: {tenant}.
                var syntax = hole.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.InterpolationSyntax interpolation ? interpolation : hole.Syntax;
                Append(bound ? SqlLexer.ParameterHoleChar : SqlLexer.TextHoleChar, syntax.SyntaxTree, syntax.Span.Start, syntax.Span.End);
            }

            /// <summary>Appends text known only at run time, with no expression to report on (syntax-only readers).</summary>
            public void AppendUnknown(SyntaxNode syntax) =>
                Append(SqlLexer.TextHoleChar, syntax.SyntaxTree, syntax.Span.Start, syntax.Span.End);

            /// <summary>Appends a statement separator between the commands of a batch.</summary>
            public void AppendSeparator()
            {
                if (_text.Length > 0)
                {
                    _text.Append(";\n");
                    _trees.Add(null);
                    _trees.Add(null);
                    _starts.Add(-1);
                    _starts.Add(-1);
                    _ends.Add(-1);
                    _ends.Add(-1);
                }
            }

            public void AppendSource(SqlSource source)
            {
                for (var i = 0; i < source.Text.Length; i++)
                {
                    if (source._holes.TryGetValue(i, out var hole))
                    {
                        _holes[_text.Length] = hole;
                    }

                    Append(source.Text[i], source._trees[i], source._starts[i], source._ends[i]);
                }
            }

            public SqlSource ToSource() =>
                new(_text.ToString(), _trees.ToImmutable(), _starts.ToImmutable(), _ends.ToImmutable(), _holes.ToImmutableDictionary());
        }
    }
}
