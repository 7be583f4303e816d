using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// Reads a policy's USING or WITH CHECK expression: which settings it reads with <c>current_setting</c>, which
    /// setting it compares with which column or string literal, which functions it calls, and whether it is always true.
    /// The expression is read one comparison at a time (split at AND and OR); that is enough for the shapes policies
    /// take (<c>tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND current_setting('app.role', true) = 'admin'</c>).
    /// </summary>
    internal static class PolicyExpressionReader
    {
        private static readonly ImmutableHashSet<string> NotColumns = ImmutableHashSet.Create(
            StringComparer.Ordinal,
            "and", "or", "not", "is", "null", "true", "false", "in", "select", "from", "where", "as", "any", "all", "some", "array",
            "exists", "case", "when", "then", "else", "end", "cast", "distinct", "like", "ilike", "between", "current_user",
            "session_user", "current_role", "user", "limit", "and", "coalesce", "nullif");

        public static PolicyExpression Read(StatementCursor expression)
        {
            var settings = ImmutableArray.CreateBuilder<string>();
            var functions = ImmutableArray.CreateBuilder<string>();
            var literals = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            var columns = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);

            var pieceStart = 0;
            for (var i = 0; i <= expression.Length; i++)
            {
                if (i == expression.Length || expression.Is(i, "and") || expression.Is(i, "or"))
                {
                    ReadComparison(expression.Slice(pieceStart, i), settings, functions, literals, columns);
                    pieceStart = i + 1;
                }
            }

            return new PolicyExpression(expression.Text(), settings.ToImmutable(), Minimal(Branches(expression, 0), settings), literals.ToImmutable(), columns.ToImmutable(), functions.ToImmutable(), IsAlwaysTrue(expression));
        }

        private const int MaxBranches = 16;
        private const int MaxDepth = 16;

        /// <summary>
        /// The expression in disjunctive form, as the sets of settings (and <c>()function</c> calls) each branch reads:
        /// OR adds branches, AND combines them, a parenthesized group is read inside; anything else is one comparison.
        /// </summary>
        private static List<HashSet<string>> Branches(StatementCursor e, int depth)
        {
            while (e.Length >= 2 && e.IsKind(0, SqlTokenKind.OpenParen) && e.Close(0) == e.Length - 1)
            {
                e = e.Slice(1, e.Length - 1);
            }

            if (depth < MaxDepth)
            {
                var disjuncts = SplitTopLevel(e, "or");
                if (disjuncts.Count > 1)
                {
                    var result = new List<HashSet<string>>();
                    foreach (var disjunct in disjuncts)
                    {
                        result.AddRange(Branches(disjunct, depth + 1));
                    }

                    return result.Take(MaxBranches).ToList();
                }

                var conjuncts = SplitTopLevel(e, "and");
                if (conjuncts.Count > 1)
                {
                    var result = new List<HashSet<string>> { new HashSet<string>(StringComparer.Ordinal) };
                    foreach (var conjunct in conjuncts)
                    {
                        var next = new List<HashSet<string>>();
                        foreach (var left in result)
                        {
                            foreach (var right in Branches(conjunct, depth + 1))
                            {
                                next.Add(new HashSet<string>(left.Concat(right), StringComparer.Ordinal));
                            }
                        }

                        result = next.Take(MaxBranches).ToList();
                    }

                    return result;
                }
            }

            var atom = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < e.Length; i++)
            {
                if (SettingAt(e, i) is { } setting)
                {
                    atom.Add(setting);
                }
                else if (e.IsKind(i + 1, SqlTokenKind.OpenParen) && e.Script.IdentifierValue(e.Tokens[i]) is { } word && !NotColumns.Contains(word) && word != "current_setting")
                {
                    atom.Add(PolicyExpression.FunctionPrefix + (e.IsKind(i - 1, SqlTokenKind.Dot) && e.Script.IdentifierValue(e.Tokens[i - 2]) is { } schema ? schema + "." + word : word));
                }
            }

            return new List<HashSet<string>> { atom };
        }

        private static List<StatementCursor> SplitTopLevel(StatementCursor e, string word)
        {
            var parts = new List<StatementCursor>();
            var depth = 0;
            var start = 0;
            for (var i = 0; i < e.Length; i++)
            {
                var kind = e.Tokens[i].Kind;
                if (kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket)
                {
                    depth++;
                }
                else if (kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket)
                {
                    depth--;
                }
                else if (depth == 0 && e.Is(i, word))
                {
                    parts.Add(e.Slice(start, i));
                    start = i + 1;
                }
            }

            parts.Add(e.Slice(start));
            return parts;
        }

        /// <summary>The branches that read something, each once, without those that need more than another one.</summary>
        private static ImmutableArray<ImmutableArray<string>> Minimal(List<HashSet<string>> branches, IList<string> order)
        {
            int Rank(string name) => order.IndexOf(name) is var i and >= 0 ? i : order.Count;

            var result = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
            var kept = new List<HashSet<string>>();
            foreach (var branch in branches.Where(b => b.Count > 0).OrderBy(b => b.Count))
            {
                if (kept.Any(k => k.IsSubsetOf(branch)))
                {
                    continue;
                }

                kept.Add(branch);
                result.Add(branch.OrderBy(Rank).ThenBy(s => s, StringComparer.Ordinal).ToImmutableArray());
            }

            return result.ToImmutable();
        }

        /// <summary>The settings a function body reads (<c>current_setting('app.tenant_id')</c>).</summary>
        public static ImmutableArray<string> SettingsIn(SqlScript script)
        {
            var result = ImmutableArray.CreateBuilder<string>();
            foreach (var statement in script.Statements)
            {
                var cursor = new StatementCursor(script, statement.Tokens);
                for (var i = 0; i < cursor.Length; i++)
                {
                    if (SettingAt(cursor, i) is { } setting && !result.Contains(setting))
                    {
                        result.Add(setting);
                    }
                }
            }

            return result.ToImmutable();
        }

        /// <summary>The setting read by a <c>current_setting('name' ...)</c> call starting at an index.</summary>
        public static string? SettingAt(StatementCursor cursor, int index) =>
            cursor.Is(index, "current_setting") && cursor.IsKind(index + 1, SqlTokenKind.OpenParen) && index + 2 < cursor.Length
                ? cursor.Script.StringValue(cursor.Tokens[index + 2])?.Trim().ToLowerInvariant()
                : null;

        private static void ReadComparison(
            StatementCursor piece,
            ImmutableArray<string>.Builder settings,
            ImmutableArray<string>.Builder functions,
            ImmutableDictionary<string, string>.Builder literals,
            ImmutableDictionary<string, string>.Builder columns)
        {
            var read = new List<string>();
            var called = new List<string>();
            var settingArguments = new HashSet<int>();
            string? literal = null;
            string? column = null;
            var compares = false;
            for (var i = 0; i < piece.Length; i++)
            {
                if (SettingAt(piece, i) is { } setting)
                {
                    read.Add(setting);
                    if (!settings.Contains(setting))
                    {
                        settings.Add(setting);
                    }

                    var close = piece.Close(i + 1);
                    for (var j = i + 1; j <= close && j >= 0; j++)
                    {
                        settingArguments.Add(j);
                    }

                    continue;
                }

                var token = piece.Tokens[i];
                if (piece.IsOperator(i, "=") || piece.Is(i, "in") || piece.Is(i, "any"))
                {
                    compares = true;
                }

                if (settingArguments.Contains(i))
                {
                    continue;
                }

                if (token.Kind == SqlTokenKind.String && literal is null && piece.Script.StringValue(token) is { Length: > 0 } value)
                {
                    literal = value;
                }
                else if (token.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier)
                {
                    var word = piece.Script.IdentifierValue(token)!;
                    if (piece.IsKind(i + 1, SqlTokenKind.OpenParen))
                    {
                        var name = piece.IsKind(i - 1, SqlTokenKind.Dot) && piece.Script.IdentifierValue(piece.Tokens[i - 2]) is { } schema ? schema + "." + word : word;
                        if (!NotColumns.Contains(word) && !functions.Contains(name))
                        {
                            functions.Add(name);
                        }

                        if (!NotColumns.Contains(word) && !called.Contains(name))
                        {
                            called.Add(name);
                        }
                    }
                    else if (column is null && !NotColumns.Contains(word) && !piece.IsKind(i - 1, SqlTokenKind.Cast) && !piece.Is(i - 1, "as") && !piece.IsKind(i + 1, SqlTokenKind.Dot))
                    {
                        column = word;
                    }
                }
            }

            // A comparison with one setting read directly, or with one function call (tenant_id = app.current_tenant_id(),
            // also inside a scalar subquery): the function's setting is known once the migrations' functions are
            // (PolicyExpression.WithFunctionSettings), so it is kept under the function's name until then.
            var compared = read.Count == 1 ? read[0] : read.Count == 0 && called.Count == 1 ? PolicyExpression.FunctionPrefix + called[0] : null;
            if (compared is null || !compares)
            {
                return;
            }

            if (literal is not null && column is null && !literals.ContainsKey(compared))
            {
                literals[compared] = literal;
            }
            else if (column is not null && !columns.ContainsKey(compared))
            {
                columns[compared] = column;
            }
        }

        private static bool IsAlwaysTrue(StatementCursor expression)
        {
            var start = 0;
            var end = expression.Length;
            while (end - start >= 2 && expression.IsKind(start, SqlTokenKind.OpenParen) && expression.Close(start) == end - 1)
            {
                start++;
                end--;
            }

            if (end - start == 1)
            {
                return expression.Is(start, "true");
            }

            // 1 = 1, 'a' = 'a'
            return end - start == 3
                && expression.IsOperator(start + 1, "=")
                && expression.Tokens[start].Kind is SqlTokenKind.Number or SqlTokenKind.String
                && expression.Tokens[start].Kind == expression.Tokens[start + 2].Kind
                && expression.Script.TextOf(expression.Tokens[start]) == expression.Script.TextOf(expression.Tokens[start + 2]);
        }
    }
}
