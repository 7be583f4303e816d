using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// Builds the <see cref="PolicyCatalog"/> by reading migration documents in order. Understands the statements
    /// that shape row-level security (CREATE/ALTER/DROP POLICY; ALTER TABLE ... ENABLE/DISABLE/FORCE/NO FORCE ROW
    /// LEVEL SECURITY; renames; CREATE TABLE with its columns and foreign keys; CREATE INDEX; CREATE/ALTER VIEW;
    /// GRANT; CREATE/ALTER ROLE; CREATE FUNCTION) and the SQL nested in DO blocks and function bodies, including
    /// <c>EXECUTE '...'</c> and <c>EXECUTE format(...)</c> with literal arguments or a loop over an ARRAY of literals.
    /// </summary>
    internal sealed partial class CatalogBuilder
    {
        private const int MaxNesting = 4;

        private readonly Dictionary<string, CatalogTable> _tables = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CatalogView> _views = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CatalogRole> _roles = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ImmutableArray<string>> _functions = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Procedure> _procedures = new(StringComparer.Ordinal);
        private readonly List<CatalogProblem> _problems = new();
        private readonly List<CatalogRejection> _rejections = new();
        private int _unreadable;
        private readonly Dictionary<string, CatalogFunction> _definitions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _publicFunctions = new(StringComparer.Ordinal);

        /// <summary>Functions of the migrations whose body compares a setting with a literal: setting to literal.</summary>
        private readonly Dictionary<string, ImmutableDictionary<string, string>> _gates = new(StringComparer.Ordinal);
        private int _documents;

        /// <summary>Whether a text may hold row-level security statements (a cheap test before lexing C# strings).</summary>
        /// <remarks>
        /// Every source file of the compilation goes through this at compilation start, so a plain search for the two
        /// words every match needs rules out nearly all of them before the expression runs.
        /// </remarks>
        public static bool MentionsRowLevelSecurity(string text) =>
            SourceTextSearch.ContainsAny(text, RowLevelSecurityPrefilter, StringComparison.OrdinalIgnoreCase) && RowLevelSecurityWords.IsMatch(text);

        /// <summary>Words one of which every match of the row-level security expression contains, in any case.</summary>
        public static readonly string[] RowLevelSecurityPrefilter = { "policy", "security" };

        /// <summary><c>CREATE POLICY</c>, <c>ALTER POLICY</c>, <c>DROP POLICY</c>, <c>... ROW LEVEL SECURITY</c>, in any case and spacing.</summary>
        /// <remarks>Interpreted, not compiled: compiling costs more at the start of every compiler process than it saves.</remarks>
        private static readonly Regex RowLevelSecurityWords = new(
            @"\b(?:create|alter|drop)\s+policy\b|\brow\s+level\s+security\b",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public void Read(MigrationDocument document)
        {
            _documents++;
            _current = document;
            if (document.Unreadable is { } reason)
            {
                _unreadable++;
                Problem(document.Locate(0, 0), document.UnreadableText, reason, null, UnknownAspects.All);
                return;
            }

            ReadScript(document, 0);
        }

        /// <summary>A document of a migration PostgreSQL rolls back (a statement of it is rejected): counted, not read.</summary>
        public void Skip(MigrationDocument document) => _documents++;

        /// <summary>Rejections found in a first reading, in migrations this reading skips.</summary>
        public void AddRejections(IEnumerable<CatalogRejection> rejections) => _rejections.AddRange(rejections);

        public PolicyCatalog Build()
        {
            var functions = _functions.ToImmutableDictionary(StringComparer.Ordinal);
            foreach (var table in _tables.Values)
            {
                for (var i = 0; i < table.Policies.Count; i++)
                {
                    var policy = table.Policies[i];
                    table.Policies[i] = new CatalogPolicy(
                        policy.Name, policy.Table, policy.Command, policy.Permissive, policy.Roles,
                        policy.Using?.WithFunctionSettings(functions, _gates), policy.WithCheck?.WithFunctionSettings(functions, _gates), policy.Location);
                }
            }

            return _documents == 0 && _tables.Count == 0 && _problems.Count == 0 && _rejections.Count == 0
                ? PolicyCatalog.Empty
                : new PolicyCatalog(
                    _tables.ToImmutableDictionary(StringComparer.Ordinal),
                    _views.Values.ToImmutableArray(),
                    _roles.Values.ToImmutableArray(),
                    functions,
                    _problems.ToImmutableArray(),
                    _documents,
                    _rejections.ToImmutableArray(),
                    _definitions.ToImmutableDictionary(StringComparer.Ordinal),
                    _unreadable);
        }

        private void ReadScript(MigrationDocument document, int depth)
        {
            foreach (var statement in document.Script.Statements)
            {
                ReadStatement(document, new StatementCursor(document.Script, statement.Tokens), depth);
            }
        }

        private void ReadStatement(MigrationDocument document, StatementCursor s, int depth)
        {
            switch (s.Word(0))
            {
                case "create":
                    {
                        var i = 1;
                        if (s.Is(i, "or") && s.Is(i + 1, "replace"))
                        {
                            i += 2;
                        }

                        var materialized = false;
                        while (s.Word(i) is "temp" or "temporary" or "unlogged" or "global" or "local" or "recursive" or "materialized" or "unique")
                        {
                            materialized |= s.Word(i) == "materialized";
                            i++;
                        }

                        switch (s.Word(i))
                        {
                            case "policy":
                                CreatePolicy(document, s);
                                break;
                            case "table":
                                CreateTable(document, s, i + 1);
                                break;
                            case "index":
                                CreateIndex(document, s, i + 1);
                                break;
                            case "view":
                                CreateView(document, s, i + 1, materialized);
                                break;
                            case "function":
                            case "procedure":
                                CreateFunction(document, s, i + 1, depth);
                                break;
                            case "role":
                            case "user":
                                Role(document, s, i + 1, create: true);
                                break;
                        }

                        break;
                    }

                case "alter":
                    switch (s.Word(1))
                    {
                        case "policy":
                            AlterPolicy(document, s);
                            break;
                        case "table":
                            AlterTable(document, s);
                            break;
                        case "view":
                            AlterView(document, s, 2);
                            break;
                        case "materialized" when s.Word(2) == "view":
                            AlterView(document, s, 3);
                            break;
                        case "role":
                        case "user":
                            Role(document, s, 2, create: false);
                            break;
                    }

                    break;
                case "drop":
                    switch (s.Word(1))
                    {
                        case "policy":
                            DropPolicy(document, s);
                            break;
                        case "table":
                            DropTables(s);
                            break;
                        case "index":
                            DropIndexes(s);
                            break;
                        case "view":
                            DropViews(s, 2);
                            break;
                        case "materialized" when s.Word(2) == "view":
                            DropViews(s, 3);
                            break;
                    }

                    break;
                case "grant":
                    Grant(document, s);
                    break;
                case "select":
                case "perform":
                    Calls(document, s, depth, NoBindings);
                    break;
                case "do":
                    for (var i = 1; i < s.Length; i++)
                    {
                        if (s.Tokens[i].Kind is SqlTokenKind.DollarString or SqlTokenKind.String)
                        {
                            ReadBody(document, s.Tokens[i], depth);
                            break;
                        }
                    }

                    break;
            }
        }

        // ---- helpers ----

        private CatalogTable TableFor(string name, string? schema)
        {
            if (!_tables.TryGetValue(name, out var table))
            {
                table = new CatalogTable(name);
                _tables[name] = table;
            }

            table.Schema ??= schema;
            return table;
        }

        private CatalogTable? Find(string name) => _tables.TryGetValue(name, out var table) ? table : null;

        /// <summary>
        /// A statement that could not be read. The tables it may have changed (<paramref name="table"/>, or every table
        /// that exists when it runs) become partly known in what it may have changed (<paramref name="aspects"/>, by
        /// default what its text mentions): unknown is not absent.
        /// </summary>
        private void Problem(MigrationDocument document, StatementCursor s, string reason, string? table = null, UnknownAspects? aspects = null) =>
            Problem(document.Locate(s.Start, s.End), s.Text(), reason, table, aspects ?? AspectsOf(s.Text()));

        private void Problem(Location? location, string text, string reason, string? table, UnknownAspects aspects)
        {
            foreach (var changed in table is null ? (IEnumerable<CatalogTable>)_tables.Values : Find(table) is { } one ? new[] { one } : Array.Empty<CatalogTable>())
            {
                changed.Unknown |= aspects;
            }

            _problems.Add(new CatalogProblem(location, text.Length > 100 ? text.Substring(0, 97) + "..." : text, reason, table, aspects));
        }

        /// <summary>What a statement's text says it may change; everything when it says none of these.</summary>
        internal static UnknownAspects AspectsOf(string text)
        {
            var aspects = UnknownAspects.None;
            if (Regex.IsMatch(text, @"\brow\s+level\s+security\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                aspects |= UnknownAspects.Rls;
            }

            if (Regex.IsMatch(text, @"\bpolicy\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                aspects |= UnknownAspects.Policy;
            }

            if (Regex.IsMatch(text, @"\bindex\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                aspects |= UnknownAspects.Index;
            }

            if (Regex.IsMatch(text, @"\b(?:foreign\s+key|references|primary\s+key|unique)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                aspects |= UnknownAspects.ForeignKey;
            }

            return aspects == UnknownAspects.None ? UnknownAspects.All : aspects;
        }
    }
}
