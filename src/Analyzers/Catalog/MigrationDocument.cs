using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// One piece of migration SQL: a .sql file, a SQL string in C#, or SQL nested inside another (a <c>DO</c> block,
    /// a function body, an <c>EXECUTE '...'</c> string), with a way back from its text to a source location.
    /// </summary>
    internal sealed class MigrationDocument
    {
        private readonly Func<int, int, Location?> _locate;

        public MigrationDocument(string path, int position, SqlScript script, Func<int, int, Location?> locate)
        {
            Path = path;
            Position = position;
            Script = script;
            _locate = locate;
        }

        /// <summary>The file it comes from.</summary>
        public string Path { get; }

        /// <summary>Where in that file it starts (orders several C# strings of one file).</summary>
        public int Position { get; }

        public SqlScript Script { get; }

        /// <summary>The file name, which orders migrations (<c>001_schema.sql</c>, <c>20240101_AddRls.cs</c>).</summary>
        public string OrderKey => System.IO.Path.GetFileName(Path);

        public Location? Locate(int start, int end) => _locate(start, end);

        public static MigrationDocument FromFile(string path, SourceText text) =>
            new(path, 0, SqlScript.Parse(text.ToString()), (start, end) =>
            {
                start = Math.Max(0, Math.Min(start, text.Length));
                end = Math.Max(start, Math.Min(end, text.Length));
                var span = TextSpan.FromBounds(start, end);
                return Location.Create(path, span, text.Lines.GetLinePositionSpan(span));
            });

        /// <summary>
        /// SQL held in a token of this document (a dollar-quoted body or a quoted string), read as a script of its
        /// own. A dollar-quoted body maps back character by character; a quoted string maps to the whole token.
        /// </summary>
        public MigrationDocument? Nested(SqlToken token)
        {
            var raw = Script.TextOf(token);
            if (token.IsUnterminated)
            {
                return null;
            }

            if (token.Kind == SqlTokenKind.DollarString)
            {
                var tagEnd = raw.IndexOf('$', 1);
                if (tagEnd < 0)
                {
                    return null;
                }

                var offset = token.Start + tagEnd + 1;
                var body = raw.Substring(tagEnd + 1, raw.Length - 2 * (tagEnd + 1));
                return new MigrationDocument(Path, Position, SqlScript.Parse(body), (start, end) => Locate(offset + start, offset + end));
            }

            var value = Script.StringValue(token);
            return value is null ? null : FromText(value, token.Start, token.End);
        }

        /// <summary>SQL computed from tokens of this document (a <c>format(...)</c> result), located at those tokens.</summary>
        public MigrationDocument FromText(string text, int start, int end) =>
            new(Path, Position, SqlScript.Parse(text), (_, _) => Locate(start, end));
    }
}
