using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Sites
{
    /// <summary>
    /// Dapper execution sites: the extension methods of <c>SqlMapper</c>, with their SQL, connection and transaction
    /// (directly or through a <c>CommandDefinition</c>).
    /// </summary>
    internal sealed class DapperSites : ISiteRecognizer
    {
        public ExecutionSite? TryCreate(IInvocationOperation invocation, MethodModel model)
        {
            var method = invocation.TargetMethod;
            if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, model.Symbols.SqlMapper))
            {
                return null;
            }

            if (method.Parameters.Length == 0 || !model.Symbols.IsConnection(method.Parameters[0].Type) || invocation.Arguments.Length == 0
                || model.IsOtherProvider(invocation.Arguments[0].Value, invocation.Syntax.SpanStart))
            {
                return null;
            }

            IOperation? sql = null;
            IOperation? transaction = null;
            var hasSql = false;
            foreach (var argument in invocation.Arguments)
            {
                var parameter = argument.Parameter;
                if (parameter is null)
                {
                    continue;
                }

                if (parameter.Name == "sql" && parameter.Type.SpecialType == SpecialType.System_String)
                {
                    hasSql = true;
                    sql = argument.Value;
                }
                else if (parameter.Name == "transaction" && !IsNullOrDefault(argument.Value))
                {
                    transaction = argument.Value;
                }
                else if (SymbolEqualityComparer.Default.Equals(parameter.Type, model.Symbols.CommandDefinition))
                {
                    hasSql = true;
                    var definition = CommandDefinitionCreation(model, argument.Value, invocation.Syntax.SpanStart);
                    if (definition is not null)
                    {
                        sql = Argument(definition.Arguments, "commandText");
                        transaction = Argument(definition.Arguments, "transaction");
                    }
                }
            }

            if (!hasSql)
            {
                return null;
            }

            var transactionKey = model.KeyOf(transaction);
            var connection = model.KeyOf(invocation.Arguments[0].Value) ?? model.ConnectionOfTransaction(transactionKey);
            var site = new ExecutionSite(invocation, SiteKind.Dapper, connection, transactionKey, sql is null ? null : SqlTextResolver.Resolve(sql, model, bound: false));
            return site.Sql is null && sql is not null && SqlTextResolver.Branches(sql, model) is { IsEmpty: false } branches ? site.WithAlternatives(branches) : site;
        }

        public ExecutionSite? TryCreateEnumerated(IOperation collection, MethodModel model) => null;

        private static IObjectCreationOperation? CommandDefinitionCreation(MethodModel model, IOperation value, int position)
        {
            var unwrapped = Unwrap(value);
            if (unwrapped is ILocalReferenceOperation local)
            {
                unwrapped = Unwrap(model.LastAssignment(local.Local, position).Value);
            }

            return unwrapped as IObjectCreationOperation;
        }
    }
}
