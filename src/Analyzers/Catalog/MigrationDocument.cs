using System;
using System.Collections.Immutable;
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

        public MigrationDocument(string path, int position, SqlScript script, Func<int, int, Location?> locate, string? orderKey = null, ImmutableArray<int> order = default)
        {
            Path = path;
            Script = script;
            _locate = locate;
            OrderKey = orderKey ?? System.IO.Path.GetFileName(path);
            Order = order.IsDefault ? ImmutableArray.Create(position) : order;
        }

        /// <summary>The file it comes from (for code a migration calls, the migration's file).</summary>
        public string Path { get; }

        /// <summary>
        /// Where in that file it stands, outermost first: a C# string's position, or the position of the migration's
        /// call into a helper followed by the string's position in the helper. Orders the pieces of one file.
        /// </summary>
        public ImmutableArray<int> Order { get; }

        public SqlScript Script { get; }

        /// <summary>
        /// What orders migrations: the file name (<c>001_schema.sql</c>, <c>20240101_AddRls.cs</c>), or a C# migration's
        /// <c>[Migration]</c> id.
        /// </summary>
        public string OrderKey { get; }

        /// <summary>Migration order: <see cref="OrderKey"/>, then the file, then the place in it.</summary>
        public static int Compare(MigrationDocument a, MigrationDocument b)
        {
            var order = string.Compare(a.OrderKey, b.OrderKey, StringComparison.OrdinalIgnoreCase);
            if (order == 0)
            {
                order = string.Compare(a.Path, b.Path, StringComparison.Ordinal);
            }

            for (var i = 0; order == 0 && i < Math.Min(a.Order.Length, b.Order.Length); i++)
            {
                order = a.Order[i].CompareTo(b.Order[i]);
            }

            return order != 0 ? order : a.Order.Length.CompareTo(b.Order.Length);
        }

        public Location? Locate(int start, int end) => _locate(start, end);

        /// <summary>
        /// Why the SQL of this piece of migration could not be read at all (<c>migrationBuilder.Sql(Scripts.EnableRls())</c>:
        /// a method's result), with its C# text in <see cref="UnreadableText"/>; null for SQL that was read.
        /// </summary>
        public string? Unreadable { get; private set; }

        public string UnreadableText { get; private set; } = string.Empty;

        /// <summary>A piece of migration whose SQL is known only at run time, located at its C# code.</summary>
        public static MigrationDocument Unknown(string path, Location location, string text, string reason, string orderKey, ImmutableArray<int> order) =>
            new(path, 0, SqlScript.Parse(string.Empty), (_, _) => location, orderKey, order) { Unreadable = reason, UnreadableText = text };

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
                return new MigrationDocument(Path, 0, SqlScript.Parse(body), (start, end) => Locate(offset + start, offset + end), OrderKey, Order);
            }

            var value = Script.StringValue(token);
            return value is null ? null : FromText(value, token.Start, token.End);
        }

        /// <summary>SQL computed from tokens of this document (a <c>format(...)</c> result), located at those tokens.</summary>
        public MigrationDocument FromText(string text, int start, int end) =>
            new(Path, 0, SqlScript.Parse(text), (_, _) => Locate(start, end), OrderKey, Order);
    }
}
