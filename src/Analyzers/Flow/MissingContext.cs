using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>The first statement of an execution that reaches a tenant table without the settings its policies read.</summary>
    internal sealed class MissingContext
    {
        private MissingContext(string table, MissingSettings? missing, ConnectionState failing, int statementIndex)
        {
            Table = table;
            Missing = missing;
            Failing = failing;
            StatementIndex = statementIndex;
        }

        /// <summary>The tenant table (or column) the statement names.</summary>
        public string Table { get; }

        /// <summary>The settings a policy of the catalog reads that are not in effect; null when the catalog cannot tell.</summary>
        public MissingSettings? Missing { get; }

        /// <summary>The connection's state just before the statement.</summary>
        public ConnectionState Failing { get; }

        /// <summary>The statement's index in the execution's SQL.</summary>
        public int StatementIndex { get; }

        /// <summary>
        /// TG1001's question for one execution site: run its statements through the connection's state before it, and
        /// return the first one that names a tenant table while the settings its policies read (or, without a catalog,
        /// any tenant setting) are not in effect; null when every statement is covered.
        /// </summary>
        public static MissingContext? Find(ExecutionSite site, ConnectionState before, TenantGuardOptions options)
        {
            if (site.Sql is null || site.Connection is null || (site.Kind == SiteKind.EfCore && options.EfCoreContext == EfCoreContextMode.Interceptor)
                || !SiteSql.MayTouchTenantRows(site.Sql, options))
            {
                return null;
            }

            MissingContext? result = null;
            SiteSimulation.Apply(site, before, options, (statement, state, _) =>
            {
                if (result is not null || statement.Kind != SqlStatementKind.Other || SiteSql.SetsTenantSetting(statement, options))
                {
                    return;
                }

                var lacks = PolicyRequirement.Check(statement, state, options, out var decided);
                string? name = null;
                if (decided ? lacks is not null : !state.HasContext && Fallback(statement, options, out name))
                {
                    result = new MissingContext(lacks?.Table ?? name!, lacks, state, statement.Index);
                }
            });

            return result;
        }

        /// <summary>
        /// Where the catalog does not decide (the statement names no table it has under row-level security): without a
        /// catalog that knows tenant tables, a statement that names a tenant table or column is tenant-scoped. Once the
        /// migrations put tables under row-level security, the fallback applies only where the catalog cannot answer:
        /// the statement names a table of <c>tenantguard.tenant_tables</c>, or reads relations none of which the
        /// migrations know (a view, a table they never create, a table name spliced in at run time) and names a tenant
        /// column. A statement whose relations include a table the migrations know (outside RLS), or that reads only
        /// set-returning functions (<c>SELECT * FROM app.cross_tenant_report()</c>), is not tenant-scoped for naming a
        /// tenant column.
        /// </summary>
        private static bool Fallback(SqlStatement statement, TenantGuardOptions options, out string? name)
        {
            var catalog = options.Catalog;
            if (catalog.RlsTables.Count == 0)
            {
                return SiteSql.IsTenantScoped(statement, options, out name);
            }

            name = null;
            if (statement.Kind != SqlStatementKind.Other || SiteSql.SetsTenantSetting(statement, options))
            {
                return false;
            }

            if (statement.NamesAny(options.ConfiguredTenantTables, out name))
            {
                return true;
            }

            var relations = RelationsOf(statement);
            if (relations.Count == 0)
            {
                return false;
            }

            foreach (var relation in relations)
            {
                if (relation is not null && catalog.Table(relation) is not null)
                {
                    return false;
                }
            }

            return SiteSql.IsTenantScoped(statement, options, out name);
        }

        private static readonly System.Collections.Immutable.ImmutableHashSet<string> RelationWords =
            System.Collections.Immutable.ImmutableHashSet.Create("from", "join", "into", "update", "table");

        private static readonly System.Collections.Immutable.ImmutableHashSet<string> ClauseWords = System.Collections.Immutable.ImmutableHashSet.Create(
            "where", "join", "inner", "left", "right", "full", "cross", "natural", "on", "using", "group", "order", "limit", "offset",
            "set", "values", "returning", "union", "except", "intersect", "window", "having", "for", "select", "default", "overriding",
            "fetch", "tablesample", "with", "do", "when", "then", "as");

        /// <summary>
        /// The relations a statement reads or writes by name (the last part of a qualified name; null for a name
        /// spliced in at run time): what follows FROM (and its comma list), JOIN, INTO, UPDATE and TABLE. A name
        /// followed by <c>(</c> after FROM or JOIN is a function, not a relation.
        /// </summary>
        private static System.Collections.Generic.List<string?> RelationsOf(SqlStatement statement)
        {
            var result = new System.Collections.Generic.List<string?>();
            var tokens = statement.Tokens;
            var script = statement.Script;
            string Word(int index) => index < tokens.Length && tokens[index].Kind == SqlTokenKind.Identifier
                ? script.TextOf(tokens[index]).ToLowerInvariant()
                : string.Empty;

            for (var i = 0; i < tokens.Length; i++)
            {
                var keyword = Word(i);
                if (!RelationWords.Contains(keyword))
                {
                    continue;
                }

                var j = i + 1;
                while (true)
                {
                    while (Word(j) is "only" or "lateral")
                    {
                        j++;
                    }

                    if (j >= tokens.Length)
                    {
                        break;
                    }

                    if (tokens[j].Kind == SqlTokenKind.TextHole)
                    {
                        result.Add(null);
                        break;
                    }

                    var last = ClauseWords.Contains(Word(j)) ? null : script.IdentifierValue(tokens[j]);
                    if (last is null)
                    {
                        break;
                    }

                    var k = j + 1;
                    while (k + 1 < tokens.Length && tokens[k].Kind == SqlTokenKind.Dot && script.IdentifierValue(tokens[k + 1]) is { } part)
                    {
                        last = part;
                        k += 2;
                    }

                    if (keyword != "into" && k < tokens.Length && tokens[k].Kind == SqlTokenKind.OpenParen)
                    {
                        break; // a set-returning function
                    }

                    result.Add(last);
                    if (Word(k) == "as")
                    {
                        k++;
                    }

                    if (k < tokens.Length && script.IdentifierValue(tokens[k]) is not null && !ClauseWords.Contains(Word(k)))
                    {
                        k++; // an alias
                    }

                    if (keyword == "from" && k < tokens.Length && tokens[k].Kind == SqlTokenKind.Comma)
                    {
                        j = k + 1;
                        continue;
                    }

                    break;
                }
            }

            return result;
        }
    }
}