using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// Statements PostgreSQL rejects, where TenantGuard can be sure: the SQL an <c>EXECUTE format(...)</c> of a
    /// <c>DO</c> block builds from literal arguments, with a name glued to a quoted identifier
    /// (<c>format('CREATE POLICY tenant_isolation_%I ON %I ...', 'Companies', 'Companies')</c> builds
    /// <c>tenant_isolation_"Companies"</c>: 42601). A <c>DO</c> block is one statement: when any of its
    /// <c>EXECUTE</c>s fails, none of its effects remain, so the block is not read at all.
    /// </summary>
    internal sealed partial class CatalogBuilder
    {
        /// <summary>Words that may stand right before or after a quoted identifier (<c>AS"x"</c>, <c>ON"T"</c>).</summary>
        private static readonly ImmutableHashSet<string> Keywords = ImmutableHashSet.Create(
            StringComparer.Ordinal,
            "as", "on", "table", "policy", "index", "from", "join", "to", "into", "update", "references", "exists", "not", "if",
            "only", "view", "schema", "grant", "select", "where", "and", "or", "using", "with", "check", "for", "all", "trigger",
            "function", "cascade", "restrict", "set", "by", "in", "is", "alter", "drop", "create", "role", "user", "public");

        private static readonly Regex GluedPlaceholder = new(
            @"(?<prefix>[A-Za-z0-9_]+)%I|%I(?<suffix>[A-Za-z0-9_]+)",
            RegexOptions.CultureInvariant);

        /// <summary>The migration being read (the outermost document), for the transaction a rejected statement rolls back.</summary>
        private MigrationDocument? _current;

        /// <summary>
        /// The unit that runs in one transaction with a document: an EF Core or FluentMigrator migration (by its
        /// <c>[Migration]</c> id: both run each migration in a transaction), or a .sql file that begins a transaction
        /// (<c>BEGIN</c>, <c>START TRANSACTION</c>); null for anything else (a file of statements that each commit).
        /// </summary>
        internal static string? TransactionOf(MigrationDocument document)
        {
            if (document.Path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            {
                var first = document.Script.Statements.IsEmpty ? null : document.Script.IdentifierValue(document.Script.Statements[0].Tokens[0]);
                return first is "begin" or "start" ? "sql:" + document.Path : null;
            }

            return document.OrderKey.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) ? null : "migration:" + document.OrderKey;
        }

        /// <summary>Whether a DO block's body holds an EXECUTE that PostgreSQL rejects; each such EXECUTE is recorded.</summary>
        private bool Rejects(MigrationDocument body)
        {
            var rejected = false;
            foreach (var statement in body.Script.Statements)
            {
                var s = new StatementCursor(body.Script, statement.Tokens);
                for (var k = 0; k < s.Length; k++)
                {
                    if (!s.Is(k, "execute"))
                    {
                        continue;
                    }

                    var end = k + 1;
                    while (end < s.Length && !s.Is(end, "using") && !s.Is(end, "into"))
                    {
                        end++;
                    }

                    var expression = s.Slice(k + 1, end);
                    var location = body.Locate(s.Slice(k, end).Start, s.Slice(k, end).End);
                    var unit = _current is null ? null : TransactionOf(_current);
                    if (FormatError(body, expression) is { } formatError)
                    {
                        var call = expression.Text();
                        _rejections.Add(new CatalogRejection(location, call.Length > 160 ? call.Substring(0, 157) + "..." : call, formatError, null, unit, "give format() a placeholder of its kinds (%s, %I, %L, %%) and an argument for each"));
                        rejected = true;
                        break;
                    }

                    foreach (var text in DynamicSql(body, expression, NoBindings, out _))
                    {
                        if (Malformed(text) is { } error)
                        {
                            var shown = text.Length > 160 ? text.Substring(0, 157) + "..." : text;
                            var fix = GluedNameFix(body, expression);
                            _rejections.Add(new CatalogRejection(location, shown, error, fix, unit, GluedPlaceholder.IsMatch(expression.Text())
                                ? "build the whole name inside %I (format('%I', 'prefix_' || name))"
                                : "correct the statement's text"));
                            rejected = true;
                            break;
                        }
                    }

                    break;
                }
            }

            return rejected;
        }

        /// <summary>
        /// Why PostgreSQL rejects a statement, when the lexer shows it for sure: a name written right against a quoted
        /// identifier (<c>tenant_isolation_"Companies"</c>, <c>"Companies"_policy</c>) is a syntax error (42601).
        /// </summary>
        internal static string? Malformed(string sql)
        {
            var script = SqlScript.Parse(sql);
            SqlToken? previous = null;
            var depth = 0;
            foreach (var token in script.Tokens)
            {
                var text = script.TextOf(token);
                if (token.IsUnterminated)
                {
                    var what = token.Kind switch
                    {
                        SqlTokenKind.QuotedIdentifier => "quoted identifier",
                        SqlTokenKind.DollarString => "dollar-quoted string",
                        SqlTokenKind.BlockComment => "/* comment",
                        _ => "quoted string",
                    };
                    return $"42601: unterminated {what} at or near \"{(text.Length > 20 ? text.Substring(0, 20) : text)}\"";
                }

                if (token.Kind == SqlTokenKind.QuotedIdentifier && text == "\"\"")
                {
                    return "42601: zero-length delimited identifier at or near \"\"\"\"";
                }

                if (previous is { } before && before.End == token.Start && Glued(script, before, token))
                {
                    return $"42601: syntax error at or near \"{text}\"";
                }

                if (token.Kind == SqlTokenKind.OpenParen)
                {
                    depth++;
                }
                else if (token.Kind == SqlTokenKind.CloseParen && --depth < 0)
                {
                    return "42601: syntax error at or near \")\"";
                }

                previous = token;
            }

            return depth > 0 ? "42601: syntax error at end of input" : null;
        }

        /// <summary>
        /// Why PostgreSQL's format() itself fails on a literal format string: a placeholder of no known kind (22023,
        /// unrecognized format() type specifier), or fewer arguments than the placeholders take (22023, too few
        /// arguments for format()).
        /// </summary>
        private static string? FormatError(MigrationDocument body, StatementCursor e)
        {
            if (!e.Is(0, "format") || !e.IsKind(1, SqlTokenKind.OpenParen) || e.Close(1) != e.Length - 1)
            {
                return null;
            }

            var items = e.Items(1, out _);
            if (items.Length == 0 || items[0].Length != 1 || body.Script.StringValue(items[0][0]) is not { } format)
            {
                return null;
            }

            var next = 0;
            var needed = 0;
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] != '%')
                {
                    continue;
                }

                if (++i >= format.Length)
                {
                    return "22023: unterminated format() type specifier";
                }

                if (format[i] == '%')
                {
                    continue;
                }

                var digits = i;
                while (digits < format.Length && char.IsDigit(format[digits]))
                {
                    digits++;
                }

                var index = next;
                if (digits > i && digits < format.Length && format[digits] == '$')
                {
                    index = int.Parse(format.Substring(i, digits - i), System.Globalization.CultureInfo.InvariantCulture) - 1;
                    i = digits + 1;
                }

                while (i < format.Length && (format[i] == '-' || char.IsDigit(format[i])))
                {
                    i++;
                }

                if (i >= format.Length)
                {
                    return "22023: unterminated format() type specifier";
                }

                if (format[i] == '*')
                {
                    return null; // a width taken from an argument: not followed here
                }

                if (format[i] is not ('s' or 'I' or 'L'))
                {
                    return $"22023: unrecognized format() type specifier \"{format[i]}\"";
                }

                next = index + 1;
                needed = Math.Max(needed, index + 1);
            }

            return needed > items.Length - 1 ? "22023: too few arguments for format()" : null;
        }

        private static bool Glued(SqlScript script, SqlToken before, SqlToken after) =>
            (before.Kind, after.Kind) switch
            {
                (SqlTokenKind.Identifier, SqlTokenKind.QuotedIdentifier) => !Keywords.Contains(script.TextOf(before).ToLowerInvariant()),
                (SqlTokenKind.QuotedIdentifier, SqlTokenKind.Identifier) => !Keywords.Contains(script.TextOf(after).ToLowerInvariant()),
                (SqlTokenKind.QuotedIdentifier, SqlTokenKind.QuotedIdentifier) => true,
                _ => false,
            };

        /// <summary>
        /// The edit that builds the whole name inside <c>%I</c>: <c>format('... tenant_isolation_%I ON %I ...', tbl, tbl)</c>
        /// becomes <c>format('... %I ON %I ...', 'tenant_isolation_' || tbl, tbl)</c>. Only for a literal format string
        /// with plain <c>%s</c>/<c>%I</c>/<c>%L</c> placeholders taken in order; null otherwise.
        /// </summary>
        private static (string Find, string Replace)? GluedNameFix(MigrationDocument body, StatementCursor e)
        {
            if (!e.Is(0, "format") || !e.IsKind(1, SqlTokenKind.OpenParen) || e.Close(1) != e.Length - 1)
            {
                return null;
            }

            var items = e.Items(1, out _);
            if (items.Length < 2 || items[0].Length != 1 || items[0][0].Kind != SqlTokenKind.String)
            {
                return null;
            }

            var raw = body.Script.TextOf(items[0][0]);
            if (raw.IndexOf('$') >= 0 || raw.IndexOf("%%", StringComparison.Ordinal) >= 0)
            {
                return null;
            }

            var glued = GluedPlaceholder.Match(raw);
            if (!glued.Success)
            {
                return null;
            }

            var placeholder = glued.Index + (glued.Groups["prefix"].Success ? glued.Groups["prefix"].Length : 0);
            var ordinal = 0;
            for (var i = raw.IndexOf('%'); i >= 0 && i < placeholder; i = raw.IndexOf('%', i + 1))
            {
                ordinal++;
            }

            if (ordinal + 1 >= items.Length)
            {
                return null;
            }

            var argument = new StatementCursor(body.Script, items[ordinal + 1]);
            var argumentText = body.Script.Text.Substring(argument.Start, argument.End - argument.Start);
            var newArgument = glued.Groups["prefix"].Success
                ? $"'{glued.Groups["prefix"].Value}' || {argumentText}"
                : $"{argumentText} || '{glued.Groups["suffix"].Value}'";
            var newFormat = raw.Substring(0, glued.Index) + "%I" + raw.Substring(glued.Index + glued.Length);

            var find = body.Script.Text.Substring(e.Start, e.End - e.Start);
            var parts = new List<string> { newFormat };
            for (var a = 1; a < items.Length; a++)
            {
                var item = new StatementCursor(body.Script, items[a]);
                parts.Add(a == ordinal + 1 ? newArgument : body.Script.Text.Substring(item.Start, item.End - item.Start));
            }

            return (find, "format(" + string.Join(", ", parts) + ")");
        }
    }
}
