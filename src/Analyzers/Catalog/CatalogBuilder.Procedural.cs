using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>Functions, DO blocks and the SQL they run with EXECUTE.</summary>
    internal sealed partial class CatalogBuilder
    {
        private void CreateFunction(MigrationDocument document, StatementCursor s, int i, int depth)
        {
            // CREATE FUNCTION name (args) RETURNS ... AS $$ body $$ | AS 'body'
            var name = s.Name(ref i, out var schema);
            if (name is null)
            {
                return;
            }

            var parameters = s.IsKind(i, SqlTokenKind.OpenParen) ? Parameters(s, i) : ImmutableArray<string>.Empty;
            for (var k = i; k < s.Length; k++)
            {
                if (s.Is(k, "as") && k + 1 < s.Length && s.Tokens[k + 1].Kind is SqlTokenKind.DollarString or SqlTokenKind.String)
                {
                    var body = document.Nested(s.Tokens[k + 1]);
                    if (body is null)
                    {
                        return;
                    }

                    var settings = PolicyExpressionReader.SettingsIn(body.Script);

                    // The functions of the migrations it calls read their settings through it (app_is_platform() calling
                    // app_mode()), and a comparison of such a read with a literal makes it a gate (app_mode() = 'platform').
                    var literals = ImmutableDictionary<string, string>.Empty;
                    foreach (var bodyStatement in body.Script.Statements)
                    {
                        var read = PolicyExpressionReader.Read(new StatementCursor(body.Script, bodyStatement.Tokens)).WithFunctionSettings(_functions, _gates);
                        foreach (var setting in read.Settings)
                        {
                            if (!settings.Contains(setting))
                            {
                                settings = settings.Add(setting);
                            }
                        }

                        literals = literals.SetItems(read.Literals.Where(pair => !literals.ContainsKey(pair.Key)));
                    }

                    var definition = new CatalogFunction(schema is null ? name : schema + "." + name, body.Script.Text, document.Locate(s.Start, s.End));

                    // A bare call finds the function as the default search path does (public, where an unqualified
                    // CREATE FUNCTION puts it); a function of another schema answers a bare call only while no public
                    // one of that name exists (its schema may be on the search path the connection string sets).
                    var inPublic = schema is null || schema == "public";
                    if (inPublic || !_publicFunctions.Contains(name))
                    {
                        _functions[name] = settings;
                        _definitions[name] = definition;
                        _gates[name] = literals;
                    }

                    if (inPublic)
                    {
                        _publicFunctions.Add(name);
                    }

                    var qualified = (schema ?? "public") + "." + name;
                    _gates[qualified] = literals;
                    _functions[qualified] = settings;
                    _definitions[qualified] = definition;

                    if (!parameters.IsEmpty)
                    {
                        // Read again at each call with literal arguments; here the parameters are not known.
                        var procedure = new Procedure(parameters, body);
                        if (inPublic || !_publicFunctions.Contains(name) || schema is null)
                        {
                            _procedures[name] = procedure;
                        }

                        _procedures[qualified] = procedure;
                    }

                    if (depth < MaxNesting)
                    {
                        ReadProcedural(body, depth + 1, Deferred(parameters));
                    }

                    return;
                }
            }
        }

        private void ReadBody(MigrationDocument document, SqlToken body, int depth)
        {
            if (depth >= MaxNesting || document.Nested(body) is not { } nested || Rejects(nested))
            {
                return; // a DO block PostgreSQL aborts leaves nothing behind
            }

            ReadProcedural(nested, depth + 1, NoBindings);
        }

        /// <summary>
        /// Reads a PL/pgSQL body: the SQL statements it runs directly (after BEGIN, THEN, LOOP ...), the SQL it runs
        /// with EXECUTE when that SQL is known from literals (or from the function's arguments, in
        /// <paramref name="bindings"/>), and the calls it makes to functions of the migrations.
        /// </summary>
        private void ReadProcedural(MigrationDocument body, int depth, IReadOnlyDictionary<string, string?> bindings)
        {
            foreach (var statement in body.Script.Statements)
            {
                var s = new StatementCursor(body.Script, statement.Tokens);
                Calls(body, s, depth, bindings);
                for (var k = 0; k < s.Length; k++)
                {
                    if (s.Is(k, "execute"))
                    {
                        Execute(body, s, k, depth, bindings);
                        break;
                    }

                    if (s.Word(k) is "create" or "alter" or "drop" or "grant"
                        && s.Word(k + 1) is "policy" or "table" or "index" or "unique" or "view" or "role" or "user" or "or" or "function" or "select" or "insert" or "update" or "delete" or "all")
                    {
                        ReadStatement(body, s.Slice(k), depth);
                        break;
                    }
                }
            }
        }

        private void Execute(MigrationDocument body, StatementCursor s, int k, int depth, IReadOnlyDictionary<string, string?> bindings)
        {
            // EXECUTE 'sql' | EXECUTE format('fmt', args...) | EXECUTE 'a' || 'b'
            var start = k + 1;
            var end = start;
            while (end < s.Length && !s.Is(end, "using") && !s.Is(end, "into"))
            {
                end++;
            }

            var expression = s.Slice(start, end);
            var texts = DynamicSql(body, expression, bindings, out var unreadable);
            foreach (var text in texts)
            {
                var nested = body.FromText(text, expression.Start, expression.End);
                ReadScript(nested, depth + 1);
            }

            if (unreadable is not null && MentionsRowLevelSecurity(expression.Text()))
            {
                Problem(body, s.Slice(k, end), unreadable);
            }
        }

        /// <summary>The SQL texts an EXECUTE expression may run, when they follow from literals.</summary>
        private static List<string> DynamicSql(MigrationDocument body, StatementCursor e, IReadOnlyDictionary<string, string?> bindings, out string? unreadable)
        {
            // A loop variable has one value at a time: every use of it in the expression takes the same one
            // (format('CREATE POLICY %I ON %I ...', t || '_tenant', t) is one policy per table, not every pairing).
            var loops = new List<(string Name, List<string> Values)>();
            for (var i = 0; i < e.Length; i++)
            {
                if (e.Tokens[i].Kind == SqlTokenKind.Identifier && !e.IsKind(i + 1, SqlTokenKind.OpenParen) && !e.IsKind(i - 1, SqlTokenKind.Dot) && !e.IsKind(i + 1, SqlTokenKind.Dot)
                    && e.Script.IdentifierValue(e.Tokens[i]) is { } name && !bindings.ContainsKey(name) && loops.All(l => l.Name != name)
                    && LoopValues(body, name) is { } values)
                {
                    loops.Add((name, values));
                }
            }

            if (loops.Count == 0)
            {
                return DynamicSqlOnce(body, e, bindings, out unreadable);
            }

            var result = new List<string>();
            unreadable = null;
            foreach (var combination in Combinations(loops.Select(l => l.Values).ToList()))
            {
                var bound = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var pair in bindings)
                {
                    bound[pair.Key] = pair.Value;
                }

                for (var k = 0; k < loops.Count; k++)
                {
                    bound[loops[k].Name] = combination[k];
                }

                result.AddRange(DynamicSqlOnce(body, e, bound, out unreadable));
                if (unreadable is not null)
                {
                    break;
                }
            }

            return result;
        }

        private static List<string> DynamicSqlOnce(MigrationDocument body, StatementCursor e, IReadOnlyDictionary<string, string?> bindings, out string? unreadable)
        {
            unreadable = null;
            var result = new List<string>();
            if (e.Length == 1 && e.Tokens[0].Kind is SqlTokenKind.String or SqlTokenKind.DollarString)
            {
                if (body.Nested(e.Tokens[0]) is { } nested)
                {
                    result.Add(nested.Script.Text);
                }

                return result;
            }

            if (e.Is(0, "format") && e.IsKind(1, SqlTokenKind.OpenParen))
            {
                var items = e.Items(1, out _);
                if (items.Length == 0 || items[0].Length != 1 || e.Script.StringValue(items[0][0]) is not { } format)
                {
                    unreadable = "the format string is not a literal";
                    return result;
                }

                var alternatives = new List<List<string>>();
                for (var a = 1; a < items.Length; a++)
                {
                    var values = ArgumentValues(body, new StatementCursor(e.Script, items[a]), bindings, out var deferred);
                    if (deferred)
                    {
                        return new List<string>(); // a parameter: read at each call
                    }

                    if (values is null)
                    {
                        unreadable = $"EXECUTE format(...) takes '{new StatementCursor(e.Script, items[a]).Text()}', known only at run time";
                        return result;
                    }

                    alternatives.Add(values);
                }

                foreach (var combination in Combinations(alternatives))
                {
                    result.Add(Format(format, combination));
                }

                return result;
            }

            // 'ALTER TABLE ' || 'x' || ' ENABLE ROW LEVEL SECURITY', 'ALTER TABLE ' || quote_ident(t) || ' ...'
            var texts = ArgumentValues(body, e, bindings, out var deferredText);
            if (deferredText)
            {
                return result; // a parameter: read at each call
            }

            if (texts is null)
            {
                unreadable = "the SQL is computed at run time";
                return result;
            }

            result.AddRange(texts);
            return result;
        }

        /// <summary>
        /// The values a format() argument takes: a literal, or a loop variable over an ARRAY of literals
        /// (<c>FOREACH t IN ARRAY ARRAY['a', 'b']</c>, <c>FOR t IN SELECT unnest(ARRAY['a', 'b'])</c>).
        /// </summary>
        private static List<string>? ArgumentValues(MigrationDocument body, StatementCursor argument, IReadOnlyDictionary<string, string?> bindings, out bool deferred)
        {
            deferred = false;
            if (argument.Length == 1 && argument.Script.StringValue(argument.Tokens[0]) is { } literal)
            {
                return new List<string> { literal };
            }

            // a || b: each part's values, every combination (t || '_tenant', 'tenant_isolation_' || tbl)
            var parts = Concatenated(argument);
            if (parts.Count > 1)
            {
                var combined = new List<string> { string.Empty };
                foreach (var part in parts)
                {
                    var values = ArgumentValues(body, part, bindings, out deferred);
                    if (deferred || values is null)
                    {
                        return null;
                    }

                    combined = combined.SelectMany(prefix => values.Select(v => prefix + v)).Take(MaxCombinations).ToList();
                }

                return combined;
            }

            // (x), quote_ident(x), quote_literal(x), lower(x), upper(x); x::text
            if (argument.Length >= 3 && argument.IsKind(argument.Length - 2, SqlTokenKind.Cast) && argument.Word(argument.Length - 1) is "text" or "varchar" or "name")
            {
                return ArgumentValues(body, argument.Slice(0, argument.Length - 2), bindings, out deferred);
            }

            var open = argument.IsKind(0, SqlTokenKind.OpenParen) ? 0 : argument.IsKind(1, SqlTokenKind.OpenParen) ? 1 : -1;
            if (open >= 0 && argument.Length > open + 2 && argument.Close(open) == argument.Length - 1
                && (open == 0 ? string.Empty : argument.Word(0)) is var function && function is "" or "quote_ident" or "quote_literal" or "lower" or "upper")
            {
                var inner = ArgumentValues(body, argument.Slice(open + 1, argument.Length - 1), bindings, out deferred);
                return inner?.Select(v => function switch
                {
                    "quote_ident" => QuoteIdentifier(v),
                    "quote_literal" => "'" + v.Replace("'", "''") + "'",
                    "lower" => v.ToLowerInvariant(),
                    "upper" => v.ToUpperInvariant(),
                    _ => v,
                }).ToList();
            }

            var parameter = argument.Length == 1
                ? argument.Tokens[0].Kind == SqlTokenKind.PositionalParameter ? argument.Script.TextOf(argument.Tokens[0]) : argument.Script.IdentifierValue(argument.Tokens[0])
                : null;
            if (parameter is not null && bindings.TryGetValue(parameter, out var bound))
            {
                deferred = bound is null;
                return bound is null ? null : new List<string> { bound };
            }

            if (argument.Length != 1 || argument.Script.IdentifierValue(argument.Tokens[0]) is not { } variable)
            {
                return null;
            }

            return LoopValues(body, variable);
        }

        /// <summary>
        /// The values a loop variable takes over an ARRAY of literals (<c>FOREACH t IN ARRAY ARRAY['a', 'b']</c>,
        /// <c>FOR t IN SELECT unnest(ARRAY['a', 'b'])</c>); null when it is not such a variable.
        /// </summary>
        private static List<string>? LoopValues(MigrationDocument body, string variable)
        {
            foreach (var statement in body.Script.Statements)
            {
                var s = new StatementCursor(body.Script, statement.Tokens);
                for (var i = 0; i + 2 < s.Length; i++)
                {
                    if (s.Word(i) is not ("for" or "foreach") || s.Word(i + 1) != variable || !s.Is(i + 2, "in"))
                    {
                        continue;
                    }

                    for (var j = i + 3; j + 1 < s.Length && !s.Is(j, "loop"); j++)
                    {
                        if (s.Is(j, "array") && s.IsKind(j + 1, SqlTokenKind.OpenBracket))
                        {
                            var values = new List<string>();
                            foreach (var item in s.Items(j + 1, out _))
                            {
                                if (item.Length != 1 || s.Script.StringValue(item[0]) is not { } value)
                                {
                                    return null;
                                }

                                values.Add(value);
                            }

                            return values;
                        }
                    }
                }
            }

            return null;
        }

        private const int MaxCombinations = 64;

        /// <summary>The operands of a top-level <c>||</c> chain; the expression alone when it has none.</summary>
        private static List<StatementCursor> Concatenated(StatementCursor e)
        {
            var parts = new List<StatementCursor>();
            var depth = 0;
            var start = 0;
            for (var i = 0; i < e.Length; i++)
            {
                if (e.IsKind(i, SqlTokenKind.OpenParen) || e.IsKind(i, SqlTokenKind.OpenBracket))
                {
                    depth++;
                }
                else if (e.IsKind(i, SqlTokenKind.CloseParen) || e.IsKind(i, SqlTokenKind.CloseBracket))
                {
                    depth--;
                }
                else if (depth == 0 && e.IsOperator(i, "||"))
                {
                    parts.Add(e.Slice(start, i));
                    start = i + 1;
                }
            }

            parts.Add(e.Slice(start));
            return parts;
        }

        private static IEnumerable<List<string>> Combinations(List<List<string>> alternatives)
        {
            IEnumerable<List<string>> result = new[] { new List<string>() };
            foreach (var values in alternatives)
            {
                result = result.SelectMany(prefix => values.Select(v => new List<string>(prefix) { v })).ToList();
            }

            return result.Take(MaxCombinations);
        }

        /// <summary>PostgreSQL's format(): %s, %I, %L, %%, and positions (%1$I).</summary>
        internal static string Format(string format, IReadOnlyList<string> arguments)
        {
            var result = new StringBuilder(format.Length);
            var next = 0;
            for (var i = 0; i < format.Length; i++)
            {
                var c = format[i];
                if (c != '%' || i + 1 >= format.Length)
                {
                    result.Append(c);
                    continue;
                }

                i++;
                if (format[i] == '%')
                {
                    result.Append('%');
                    continue;
                }

                var position = -1;
                var digits = i;
                while (digits < format.Length && char.IsDigit(format[digits]))
                {
                    digits++;
                }

                if (digits > i && digits < format.Length && format[digits] == '$')
                {
                    position = int.Parse(format.Substring(i, digits - i), System.Globalization.CultureInfo.InvariantCulture) - 1;
                    i = digits + 1;
                }

                while (i < format.Length && (format[i] == '-' || char.IsDigit(format[i])))
                {
                    i++;
                }

                if (i >= format.Length)
                {
                    break;
                }

                var index = position >= 0 ? position : next;
                next = index + 1;
                var value = index < arguments.Count ? arguments[index] : string.Empty;
                switch (format[i])
                {
                    case 'I':
                        result.Append(QuoteIdentifier(value));
                        break;
                    case 'L':
                        result.Append('\'').Append(value.Replace("'", "''")).Append('\'');
                        break;
                    default:
                        result.Append(value);
                        break;
                }
            }

            return result.ToString();
        }

        private static string QuoteIdentifier(string value)
        {
            if (value.Length == 0 || char.IsDigit(value[0]))
            {
                return "\"" + value + "\""; // as quote_ident: "" is a zero-length identifier, PostgreSQL rejects it
            }

            foreach (var c in value)
            {
                if (!(c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c == '_' || c == '.'))
                {
                    return "\"" + value.Replace("\"", "\"\"") + "\"";
                }
            }

            return value;
        }

        private static readonly IReadOnlyDictionary<string, string?> NoBindings = new Dictionary<string, string?>();

        /// <summary>A function of the migrations that takes arguments: its body is read at each call with literal arguments.</summary>
        private sealed class Procedure
        {
            public Procedure(ImmutableArray<string> parameters, MigrationDocument body)
            {
                Parameters = parameters;
                Body = body;
            }

            public ImmutableArray<string> Parameters { get; }

            public MigrationDocument Body { get; }
        }

        /// <summary>The parameters of <c>CREATE FUNCTION f(table_name text, ...)</c>: names, or <c>$n</c> for unnamed ones.</summary>
        private static ImmutableArray<string> Parameters(StatementCursor s, int open)
        {
            var result = ImmutableArray.CreateBuilder<string>();
            foreach (var item in s.Items(open, out _))
            {
                var parameter = new StatementCursor(s.Script, item);
                var j = parameter.Word(0) is "in" or "out" or "inout" or "variadic" ? 1 : 0;
                result.Add(parameter.Length - j >= 2 && parameter.Script.IdentifierValue(parameter.Tokens[j]) is { } name ? name : "$" + (result.Count + 1));
            }

            return result.ToImmutable();
        }

        /// <summary>Parameters by name and by position, with no value yet.</summary>
        private static IReadOnlyDictionary<string, string?> Deferred(ImmutableArray<string> parameters)
        {
            var result = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < parameters.Length; i++)
            {
                result[parameters[i]] = null;
                result["$" + (i + 1)] = null;
            }

            return result;
        }

        /// <summary>
        /// Calls to functions of the migrations that take arguments (<c>PERFORM enable_tenant_rls('orders')</c>,
        /// <c>SELECT enable_tenant_rls('orders');</c>): the body is read with the literal arguments bound.
        /// </summary>
        private void Calls(MigrationDocument document, StatementCursor s, int depth, IReadOnlyDictionary<string, string?> outer)
        {
            if (_procedures.Count == 0 || depth >= MaxNesting)
            {
                return;
            }

            for (var i = 0; i + 1 < s.Length; i++)
            {
                if (!s.IsKind(i + 1, SqlTokenKind.OpenParen) || s.Script.IdentifierValue(s.Tokens[i]) is not { } word)
                {
                    continue;
                }

                var name = s.IsKind(i - 1, SqlTokenKind.Dot) && i >= 2 && s.Script.IdentifierValue(s.Tokens[i - 2]) is { } schema ? schema + "." + word : word;
                if (!_procedures.TryGetValue(name, out var procedure) && !_procedures.TryGetValue(word, out procedure))
                {
                    continue;
                }

                var arguments = s.Items(i + 1, out var close);
                var bindings = new Dictionary<string, string?>(StringComparer.Ordinal);
                var known = true;
                var deferred = false;
                for (var a = 0; a < procedure.Parameters.Length; a++)
                {
                    string? value = null;
                    if (a < arguments.Length && arguments[a].Length == 1)
                    {
                        var token = arguments[a][0];
                        var text = token.Kind == SqlTokenKind.PositionalParameter ? s.Script.TextOf(token) : s.Script.IdentifierValue(token);
                        if (text is not null && outer.TryGetValue(text, out var bound))
                        {
                            value = bound;
                            deferred |= bound is null; // the caller's own parameter: read at the caller's calls
                        }
                        else
                        {
                            value = token.Kind == SqlTokenKind.Number ? s.Script.TextOf(token) : s.Script.StringValue(token);
                        }
                    }

                    known &= value is not null || a >= arguments.Length;
                    bindings[procedure.Parameters[a]] = value;
                    bindings["$" + (a + 1)] = value;
                }

                if (deferred)
                {
                    continue;
                }

                if (known)
                {
                    ReadProcedural(procedure.Body, depth + 1, bindings);
                }
                else if (MentionsRowLevelSecurity(procedure.Body.Script.Text))
                {
                    Problem(document, s.Slice(i, close + 1), $"'{name}' is called with an argument known only at run time", null, AspectsOf(procedure.Body.Script.Text));
                }
            }
        }
    }
}
