using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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

            return new PolicyExpression(expression.Text(), settings.ToImmutable(), literals.ToImmutable(), columns.ToImmutable(), functions.ToImmutable(), IsAlwaysTrue(expression));
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
                    }
                    else if (column is null && !NotColumns.Contains(word) && !piece.IsKind(i - 1, SqlTokenKind.Cast) && !piece.Is(i - 1, "as") && !piece.IsKind(i + 1, SqlTokenKind.Dot))
                    {
                        column = word;
                    }
                }
            }

            if (read.Count != 1 || !compares)
            {
                return;
            }

            if (literal is not null && column is null && !literals.ContainsKey(read[0]))
            {
                literals[read[0]] = literal;
            }
            else if (column is not null && !columns.ContainsKey(read[0]))
            {
                columns[read[0]] = column;
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
