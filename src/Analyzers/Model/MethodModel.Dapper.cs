using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// Dapper execution sites: the extension methods of <c>SqlMapper</c>, with their SQL, connection and transaction
    /// (directly or through a <c>CommandDefinition</c>).
    /// </summary>
    internal sealed partial class MethodModel
    {
        private ExecutionSite? TryCreateDapperSite(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.Parameters.Length == 0 || !_symbols.IsConnection(method.Parameters[0].Type) || invocation.Arguments.Length == 0
                || IsOtherProvider(invocation.Arguments[0].Value, invocation.Syntax.SpanStart))
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
                else if (SymbolEqualityComparer.Default.Equals(parameter.Type, _symbols.CommandDefinition))
                {
                    hasSql = true;
                    var definition = CommandDefinitionCreation(argument.Value, invocation.Syntax.SpanStart);
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

            var transactionKey = KeyOf(transaction);
            var connection = KeyOf(invocation.Arguments[0].Value) ?? ConnectionOfTransaction(transactionKey);
            var site = new ExecutionSite(invocation, SiteKind.Dapper, connection, transactionKey, sql is null ? null : SqlTextResolver.Resolve(sql, this, bound: false));
            return site.Sql is null && sql is not null && SqlTextResolver.Branches(sql, this) is { IsEmpty: false } branches ? site.WithAlternatives(branches) : site;
        }

        private IObjectCreationOperation? CommandDefinitionCreation(IOperation value, int position)
        {
            var unwrapped = Unwrap(value);
            if (unwrapped is ILocalReferenceOperation local)
            {
                unwrapped = Unwrap(LastAssignment(local.Local, position).Value);
            }

            return unwrapped as IObjectCreationOperation;
        }
    }
}
