using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Options
{
    /// <summary>
    /// What the project's SQL migrations (AdditionalFiles ending in .sql) say about row-level security: the tables
    /// that have it enabled or carry a policy, and the settings the policies read with current_setting().
    /// </summary>
    internal sealed class MigrationCatalog
    {
        public static readonly MigrationCatalog Empty = new(ImmutableHashSet<string>.Empty, ImmutableHashSet<string>.Empty);

        private MigrationCatalog(ImmutableHashSet<string> rlsTables, ImmutableHashSet<string> policySettings)
        {
            RlsTables = rlsTables;
            PolicySettings = policySettings;
        }

        public ImmutableHashSet<string> RlsTables { get; }

        public ImmutableHashSet<string> PolicySettings { get; }

        public static MigrationCatalog Read(ImmutableArray<AdditionalText> files, CancellationToken cancellationToken)
        {
            var tables = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
            var settings = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var file in files)
            {
                if (!file.Path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var text = file.GetText(cancellationToken)?.ToString();
                if (text is null)
                {
                    continue;
                }

                Read(SqlScript.Parse(text), tables, settings);
            }

            return tables.Count == 0 && settings.Count == 0 ? Empty : new MigrationCatalog(tables.ToImmutable(), settings.ToImmutable());
        }

        private static void Read(SqlScript script, ImmutableHashSet<string>.Builder tables, ImmutableHashSet<string>.Builder settings)
        {
            foreach (var statement in script.Statements)
            {
                var words = statement.Tokens;
                if (Is(script, words, 0, "alter") && Is(script, words, 1, "table"))
                {
                    // ALTER TABLE [IF EXISTS] [ONLY] name ENABLE | FORCE ROW LEVEL SECURITY
                    var i = 2;
                    if (Is(script, words, i, "if") && Is(script, words, i + 1, "exists"))
                    {
                        i += 2;
                    }

                    if (Is(script, words, i, "only"))
                    {
                        i++;
                    }

                    var name = LastNamePart(script, words, ref i);
                    if (name is not null && (Is(script, words, i, "enable") || Is(script, words, i, "force")) && Is(script, words, i + 1, "row"))
                    {
                        tables.Add(name);
                    }
                }
                else if (Is(script, words, 0, "create") && Is(script, words, 1, "policy"))
                {
                    // CREATE POLICY name ON table ... USING (... current_setting('app.tenant_id') ...)
                    for (var i = 2; i < words.Length; i++)
                    {
                        if (Is(script, words, i, "on"))
                        {
                            var j = i + 1;
                            var name = LastNamePart(script, words, ref j);
                            if (name is not null)
                            {
                                tables.Add(name);
                            }

                            break;
                        }
                    }

                    for (var i = 0; i + 2 < words.Length; i++)
                    {
                        if (Is(script, words, i, "current_setting") && words[i + 1].Kind == SqlTokenKind.OpenParen)
                        {
                            var setting = script.StringValue(words[i + 2]);
                            if (setting is not null)
                            {
                                settings.Add(setting.Trim());
                            }
                        }
                    }
                }
            }
        }

        private static bool Is(SqlScript script, ImmutableArray<SqlToken> tokens, int index, string word) =>
            index < tokens.Length && tokens[index].Kind == SqlTokenKind.Identifier && script.TextOf(tokens[index]).Equals(word, StringComparison.OrdinalIgnoreCase);

        private static string? LastNamePart(SqlScript script, ImmutableArray<SqlToken> tokens, ref int index)
        {
            string? name = null;
            while (index < tokens.Length)
            {
                var part = script.IdentifierValue(tokens[index]);
                if (part is null)
                {
                    break;
                }

                name = part;
                index++;
                if (index < tokens.Length && tokens[index].Kind == SqlTokenKind.Dot)
                {
                    index++;
                    continue;
                }

                break;
            }

            return name;
        }
    }
}
