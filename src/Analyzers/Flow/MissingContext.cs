using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;

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
                || !SqlRules.MayTouchTenantRows(site.Sql.Script, options))
            {
                return null;
            }

            MissingContext? result = null;
            SiteSimulation.Apply(site, before, options, (statement, state, _) =>
            {
                if (result is not null || statement.Kind != SqlStatementKind.Other || SqlRules.SetsTenantSetting(statement, options))
                {
                    return;
                }

                var lacks = PolicyRequirement.Check(statement, state, options, out var decided);
                string? name = null;
                if (decided ? lacks is not null : !state.HasContext && SqlRules.IsTenantScoped(statement, options, out name))
                {
                    result = new MissingContext(lacks?.Table ?? name!, lacks, state, statement.Index);
                }
            });

            return result;
        }
    }
}
