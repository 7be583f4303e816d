using System.Collections.Generic;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// Questions the flow and the rules ask of the SQL of execution sites and of its statements, answered one way for
    /// all of them.
    /// </summary>
    internal static class SiteSql
    {
        // Not RegexOptions.Compiled: compiling costs more at the start of every compiler process than the few
        // messages that use it ever save.
        private static readonly Regex Whitespace = new(@"\s+");

        /// <summary>
        /// Every statement of every execution whose SQL is known, and of the other texts it may run with (its
        /// <see cref="ExecutionSite.Alternatives"/>, each read as the execution's own SQL).
        /// </summary>
        /// <param name="settingsOnly">Only texts that may change a setting (<see cref="SqlSource.MayChangeSettings"/>), for the rules
        /// that read SET statements and set_config calls alone: the others are not lexed for them.</param>
        public static IEnumerable<(ExecutionSite Site, SqlStatement Statement)> Statements(MethodModel model, bool settingsOnly = false)
        {
            foreach (var site in model.Sites)
            {
                if (site.Sql is not null && (!settingsOnly || site.Sql.MayChangeSettings))
                {
                    foreach (var statement in site.Sql.Script.Statements)
                    {
                        yield return (site, statement);
                    }
                }

                foreach (var alternative in site.Alternatives)
                {
                    if (settingsOnly && !alternative.MayChangeSettings)
                    {
                        continue;
                    }

                    var variant = site.WithSql(alternative);
                    foreach (var statement in alternative.Script.Statements)
                    {
                        yield return (variant, statement);
                    }
                }
            }
        }

        /// <summary>Every assignment of a tenant setting (SET or set_config) in the executions whose SQL is known.</summary>
        public static IEnumerable<(ExecutionSite Site, SqlStatement Statement, SettingAssignment Setting)> TenantSettingAssignments(MethodModel model, TenantGuardOptions options)
        {
            foreach (var (site, statement) in Statements(model, settingsOnly: true))
            {
                foreach (var setting in statement.Settings)
                {
                    if (setting.Name is not null && options.IsTenantSetting(setting.Name))
                    {
                        yield return (site, statement, setting);
                    }
                }
            }
        }

        /// <summary>Whether a statement touches tenant rows: it names a tenant table or column and sets no tenant setting.</summary>
        public static bool IsTenantScoped(SqlStatement statement, TenantGuardOptions options, out string? name)
        {
            name = null;
            if (statement.Kind != SqlStatementKind.Other || SetsTenantSetting(statement, options))
            {
                return false;
            }

            return statement.NamesAny(options.TenantTables, out name) || statement.NamesAny(options.TenantColumns, out name);
        }

        /// <summary>
        /// Whether any statement may read or write tenant rows: it names a table under row-level security, a tenant table
        /// or a tenant column. TG1001 runs the flow only for such executions.
        /// </summary>
        public static bool MayTouchTenantRows(SqlSource sql, TenantGuardOptions options)
        {
            // An identifier's value is its text (unquoted, or between the quotes): text that holds none of the names as
            // characters names none of them, and is not lexed for it.
            var rlsTables = options.Catalog.RlsTables;
            if (!sql.MayName(options.TenantTables) && !sql.MayName(options.TenantColumns) && !sql.MayName(rlsTables))
            {
                return false;
            }

            var script = sql.Script;
            foreach (var statement in script.Statements)
            {
                if (statement.Kind != SqlStatementKind.Other)
                {
                    continue;
                }

                foreach (var token in statement.Tokens)
                {
                    var value = script.IdentifierValue(token);
                    if (value is not null && (options.TenantTables.Contains(value) || options.TenantColumns.Contains(value) || rlsTables.Contains(value)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        public static bool SetsTenantSetting(SqlStatement statement, TenantGuardOptions options)
        {
            foreach (var setting in statement.Settings)
            {
                if (setting.Name is not null && options.IsTenantSetting(setting.Name))
                {
                    return true;
                }
            }

            return false;
        }

        public static bool SetsTenantSetting(ExecutionSite site, TenantGuardOptions options) => TenantSettingIn(site, options) is not null;

        /// <summary>The first tenant setting an execution applies (SET or set_config), or null.</summary>
        public static string? TenantSettingIn(ExecutionSite site, TenantGuardOptions options)
        {
            if (site.Sql is null)
            {
                return null;
            }

            foreach (var statement in site.Sql.Script.Statements)
            {
                foreach (var setting in statement.Settings)
                {
                    if (setting.Name is not null && options.IsTenantSetting(setting.Name))
                    {
                        return setting.Name;
                    }
                }
            }

            return null;
        }

        /// <summary>Whether a statement does work of its own, as opposed to only changing settings or transaction state.</summary>
        public static bool IsWork(SqlStatement statement) =>
            statement.Kind == SqlStatementKind.Other && statement.Settings.IsEmpty;

        /// <summary>The source location of a range of the SQL text, or the execution call when it cannot be mapped.</summary>
        public static Location LocationOf(ExecutionSite site, int start, int end) =>
            site.Sql?.GetLocation(start, end) ?? site.Location;

        /// <summary>A statement's text for a message: holes shown as {…}, white space folded, long text cut.</summary>
        public static string Display(SqlSource sql, int start, int end)
        {
            var text = sql.Text.Substring(start, end - start)
                .Replace(SqlLexer.TextHoleChar.ToString(), "{…}")
                .Replace(SqlLexer.ParameterHoleChar.ToString(), "{…}");
            text = Whitespace.Replace(text, " ").Trim();
            return text.Length > 80 ? text.Substring(0, 77) + "..." : text;
        }

        /// <summary><c>'a'</c>, <c>'a' and 'b'</c>, <c>'a', 'b' and 'c'</c>.</summary>
        public static string QuotedList(IEnumerable<string> names)
        {
            var list = new List<string>();
            foreach (var name in names)
            {
                list.Add("'" + name + "'");
            }

            return list.Count <= 1 ? string.Join(string.Empty, list) : string.Join(", ", list.GetRange(0, list.Count - 1)) + " and " + list[list.Count - 1];
        }

        public static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
    }
}
