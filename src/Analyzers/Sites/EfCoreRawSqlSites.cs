using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Sites
{
    /// <summary>
    /// EF Core raw-SQL execution sites: the methods of <c>RelationalDatabaseFacadeExtensions</c> and
    /// <c>RelationalQueryableExtensions</c> that send SQL written in the code (<c>ExecuteSql*</c>, <c>SqlQuery*</c>,
    /// <c>FromSql*</c>), on the context's connection. LINQ query sites are read by <see cref="EfCoreQuerySites"/>.
    /// </summary>
    internal sealed class EfCoreRawSqlSites : ISiteRecognizer
    {
        public ExecutionSite? TryCreate(IInvocationOperation invocation, MethodModel model)
        {
            var containing = invocation.TargetMethod.ContainingType;
            if (!SymbolEqualityComparer.Default.Equals(containing, model.Symbols.RelationalDatabaseFacadeExtensions)
                && !SymbolEqualityComparer.Default.Equals(containing, model.Symbols.RelationalQueryableExtensions))
            {
                return null;
            }

            var name = invocation.TargetMethod.Name;
            if (!name.StartsWith("ExecuteSql", StringComparison.Ordinal) && !name.StartsWith("SqlQuery", StringComparison.Ordinal) && !name.StartsWith("FromSql", StringComparison.Ordinal))
            {
                return null;
            }

            IOperation? sql = null;
            var bound = false;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Name == "sql")
                {
                    sql = argument.Value;
                    bound = SymbolEqualityComparer.Default.Equals(argument.Parameter.Type, model.Symbols.FormattableString);
                }
            }

            var context = invocation.Arguments.Length > 0 ? model.KeyOf(invocation.Arguments[0].Value) : null;
            var source = sql is null ? null : SqlTextResolver.Resolve(sql, model, bound);
            if (source is not null && !bound && HasFormatParameters(invocation))
            {
                // ExecuteSqlRaw("SET LOCAL app.tenant_id = {0}", tenant): EF Core turns {0} into a bind parameter.
                source = source.WithFormatPlaceholdersBound();
            }

            return new ExecutionSite(invocation, SiteKind.EfCore, context, null, source);
        }

        public ExecutionSite? TryCreateEnumerated(IOperation collection, MethodModel model) => null;

        /// <summary>Whether a raw-SQL call passes values for <c>{0}</c>-style placeholders (its params array is not empty).</summary>
        private static bool HasFormatParameters(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { IsParams: true } && !(argument.Value is IArrayCreationOperation { Initializer.ElementValues.Length: 0 }))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
