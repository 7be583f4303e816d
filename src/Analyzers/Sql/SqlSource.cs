using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TenantGuard.Analyzers.Sql
{
    /// <summary>
    /// The SQL an execution site sends, as far as it is known at compile time, with a map from every character
    /// back to the C# source it came from, so that a diagnostic can point inside a string literal.
    /// Values the C# side splices in at run time stand as <see cref="SqlLexer.TextHoleChar"/>; values it binds
    /// (EF Core FormattableString holes) as <see cref="SqlLexer.ParameterHoleChar"/>.
    /// </summary>
    internal sealed class SqlSource
    {
        private static readonly ImmutableDictionary<int, IOperation> NoHoles = ImmutableDictionary<int, IOperation>.Empty;

        // The source map, run-length encoded: most SQL is a few literals, each one run of characters.
        private readonly ImmutableArray<Run> _runs;
        private readonly ImmutableDictionary<int, IOperation> _holes;
        private SqlScript? _script;

        private SqlSource(string text, ImmutableArray<Run> runs, ImmutableDictionary<int, IOperation> holes)
        {
            Text = text;
            _runs = runs;
            _holes = holes;
        }

        public string Text { get; }

        /// <summary>
        /// Whether the text may change a setting (a SET statement or a set_config call): both spell "set", unquoted. Rules
        /// that read only settings skip the lexing of text without it, which is most SQL.
        /// </summary>
        public bool MayChangeSettings => Mentions("set");

        /// <summary>
        /// Whether the characters occur in the text, in any case: the cheap test the rules make before lexing it, for the
        /// words or symbols without which the lexer could find nothing they look for.
        /// </summary>
        public bool Mentions(string characters) => Text.IndexOf(characters, StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>Whether any of the names (identifiers, in lower case) may occur in the text: a cheap test before lexing it.</summary>
        public bool MayName(ImmutableHashSet<string> names)
        {
            foreach (var name in names)
            {
                if (Mentions(name))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The statements of <see cref="Text"/>, read on first use; rules ask concurrently, and all get the first one published.</summary>
        public SqlScript Script =>
            System.Threading.Volatile.Read(ref _script) ?? System.Threading.LazyInitializer.EnsureInitialized(ref _script, () => SqlScript.Parse(Text))!;

        /// <summary>The C# expression spliced in at a hole character of <see cref="Text"/>.</summary>
        public IOperation? HoleAt(int index) => _holes.Count > 0 && _holes.TryGetValue(index, out var hole) ? hole : null;

        /// <summary>
        /// The source location of the text range [start, end), or null when its characters do not all come from
        /// one syntax tree.
        /// </summary>
        public Location? GetLocation(int start, int end)
        {
            start = System.Math.Max(start, 0);
            end = System.Math.Min(end, Text.Length);
            if (start >= end)
            {
                return null;
            }

            SyntaxTree? tree = null;
            var spanStart = int.MaxValue;
            var spanEnd = -1;
            for (var r = RunAt(start); r < _runs.Length && _runs[r].TextStart < end; r++)
            {
                var run = _runs[r];
                if (run.Tree is null)
                {
                    continue;
                }

                if (tree is null)
                {
                    tree = run.Tree;
                }
                else if (tree != run.Tree)
                {
                    return null;
                }

                var first = run.Map(System.Math.Max(start, run.TextStart));
                var last = run.Map(System.Math.Min(end, run.TextEnd) - 1);
                spanStart = System.Math.Min(spanStart, first.Start);
                spanEnd = System.Math.Max(spanEnd, last.End);
            }

            return tree is null ? null : Location.Create(tree, TextSpan.FromBounds(spanStart, spanEnd));
        }

        /// <summary>
        /// The same SQL with every character mapped to one node (a helper's text shown at the call that wrote it: each
        /// caller reports at its own call, in its own file). The holes stay the helper's expressions.
        /// </summary>
        public SqlSource MappedTo(SyntaxNode node)
        {
            var runs = Text.Length == 0
                ? ImmutableArray<Run>.Empty
                : ImmutableArray.Create(new Run(0, Text.Length, node.SyntaxTree, node.Span.Start, node.Span.End, linear: false));
            return new SqlSource(Text, runs, _holes);
        }

        /// <summary>
        /// The same SQL with EF Core's raw-SQL placeholders (<c>{0}</c>, <c>{1}</c>: <c>ExecuteSqlRaw(sql, params object[])</c>)
        /// read as what they become, bind parameters, each mapped to the placeholder's text.
        /// </summary>
        public SqlSource WithFormatPlaceholdersBound()
        {
            if (Text.IndexOf('{') < 0)
            {
                return this;
            }

            var builder = new Builder();
            for (var i = 0; i < Text.Length; i++)
            {
                var close = i + 1;
                while (close < Text.Length && char.IsDigit(Text[close]))
                {
                    close++;
                }

                var run = _runs[RunAt(i)];
                if (Text[i] == '{' && close > i + 1 && close < Text.Length && Text[close] == '}')
                {
                    builder.Append(SqlLexer.ParameterHoleChar, run.Tree, run.Map(i).Start, _runs[RunAt(close)].Map(close).End);
                    i = close;
                    continue;
                }

                if (HoleAt(i) is { } hole)
                {
                    builder.RegisterHole(hole);
                }

                var span = run.Map(i);
                builder.Append(Text[i], run.Tree, span.Start, span.End);
            }

            return builder.ToSource();
        }

        /// <summary>The index of the run holding the character at <paramref name="index"/> (a valid index of the text).</summary>
        private int RunAt(int index)
        {
            int low = 0, high = _runs.Length - 1;
            while (low < high)
            {
                var middle = (low + high + 1) / 2;
                if (_runs[middle].TextStart <= index)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return low;
        }

        /// <summary>
        /// Consecutive characters of the text and where they came from: either one source character each, in order
        /// (<paramref name="linear"/>: a literal without escapes), or all the same span (a constant, a hole, an escape).
        /// </summary>
        private readonly struct Run
        {
            public Run(int textStart, int length, SyntaxTree? tree, int start, int end, bool linear)
            {
                TextStart = textStart;
                Length = length;
                Tree = tree;
                Start = start;
                End = end;
                Linear = linear;
            }

            public int TextStart { get; }

            public int Length { get; }

            public int TextEnd => TextStart + Length;

            public SyntaxTree? Tree { get; }

            /// <summary>Linear: the first character's source start; otherwise every character's.</summary>
            public int Start { get; }

            /// <summary>Linear: the last character's source end; otherwise every character's.</summary>
            public int End { get; }

            public bool Linear { get; }

            /// <summary>The source span of the character at a text index inside the run.</summary>
            public (int Start, int End) Map(int index) =>
                Linear ? (Start + (index - TextStart), Start + (index - TextStart) + 1) : (Start, End);

            /// <summary>This run with one more character after it, or null when that character does not continue it.</summary>
            public Run? Extended(SyntaxTree? tree, int start, int end)
            {
                if (tree != Tree)
                {
                    return null;
                }

                if (start == Start && end == End && (!Linear || Length == 1))
                {
                    return new Run(TextStart, Length + 1, Tree, Start, End, linear: false);
                }

                if (end - start == 1 && start == End && (Linear || (Length == 1 && End - Start == 1)))
                {
                    return new Run(TextStart, Length + 1, Tree, Start, end, linear: true);
                }

                return null;
            }
        }

        /// <summary>Accumulates text and its source map.</summary>
        internal sealed class Builder
        {
            private readonly System.Text.StringBuilder _text = new();
            private readonly List<Run> _runs = new();
            private Dictionary<int, IOperation>? _holes;

            public int Length => _text.Length;

            public bool HasKnownText { get; private set; }

            public void Append(char c, SyntaxTree? tree, int start, int end)
            {
                _text.Append(c);
                AddRun(_text.Length - 1, tree, start, end);
                HasKnownText |= c != SqlLexer.TextHoleChar && c != SqlLexer.ParameterHoleChar;
            }

            /// <summary>Appends text whose characters all map to one span (a constant from elsewhere).</summary>
            public void AppendCoarse(string text, SyntaxTree tree, TextSpan span) =>
                AppendRun(text, new Run(_text.Length, text.Length, tree, span.Start, span.End, linear: false));

            /// <summary>Appends text written in the source as it is, from <paramref name="start"/> on (a literal without escapes).</summary>
            public void AppendLinear(string text, SyntaxTree tree, int start) =>
                AppendRun(text, new Run(_text.Length, text.Length, tree, start, start + text.Length, linear: true));

            /// <summary>Appends a whole run at once (a run of its own: where it starts, the map is the same either way).</summary>
            private void AppendRun(string text, Run run)
            {
                if (text.Length == 0)
                {
                    return;
                }

                _text.Append(text);
                _runs.Add(run);
                foreach (var c in text)
                {
                    HasKnownText |= c != SqlLexer.TextHoleChar && c != SqlLexer.ParameterHoleChar;
                }
            }

            /// <summary>The next character appended stands for this spliced expression.</summary>
            public void RegisterHole(IOperation hole) => (_holes ??= new Dictionary<int, IOperation>())[_text.Length] = hole;

            public void AppendHole(IOperation hole, bool bound)
            {
                RegisterHole(hole);

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
                    var at = _text.Length;
                    _text.Append(";\n");
                    AddRun(at, null, -1, -1);
                    AddRun(at + 1, null, -1, -1);
                }
            }

            public void AppendSource(SqlSource source)
            {
                var offset = _text.Length;
                _text.Append(source.Text);
                foreach (var run in source._runs)
                {
                    _runs.Add(new Run(run.TextStart + offset, run.Length, run.Tree, run.Start, run.End, run.Linear));
                }

                foreach (var hole in source._holes)
                {
                    (_holes ??= new Dictionary<int, IOperation>())[hole.Key + offset] = hole.Value;
                }

                foreach (var c in source.Text)
                {
                    HasKnownText |= c != SqlLexer.TextHoleChar && c != SqlLexer.ParameterHoleChar;
                }
            }

            public SqlSource ToSource() =>
                new(_text.ToString(), _runs.ToImmutableArray(), _holes is null ? NoHoles : _holes.ToImmutableDictionary());

            private void AddRun(int textIndex, SyntaxTree? tree, int start, int end)
            {
                var last = _runs.Count - 1;
                if (last >= 0 && _runs[last].Extended(tree, start, end) is { } extended)
                {
                    _runs[last] = extended;
                }
                else
                {
                    _runs.Add(new Run(textIndex, 1, tree, start, end, linear: false));
                }
            }
        }
    }
}
