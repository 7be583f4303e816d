using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// EF Core raw-SQL execution sites (<c>ExecuteSql*</c>, <c>SqlQuery*</c>, <c>FromSql*</c>) and the branches on a
    /// context's current transaction. LINQ query sites are read by <see cref="EfCoreQueries"/>.
    /// </summary>
    internal sealed partial class MethodModel
    {
        private ExecutionSite? TryCreateEfCoreSite(IInvocationOperation invocation)
        {
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
                    bound = SymbolEqualityComparer.Default.Equals(argument.Parameter.Type, _symbols.FormattableString);
                }
            }

            var context = invocation.Arguments.Length > 0 ? KeyOf(invocation.Arguments[0].Value) : null;
            var source = sql is null ? null : SqlTextResolver.Resolve(sql, this, bound);
            if (source is not null && !bound && HasFormatParameters(invocation))
            {
                // ExecuteSqlRaw("SET LOCAL app.tenant_id = {0}", tenant): EF Core turns {0} into a bind parameter.
                source = source.WithFormatPlaceholdersBound();
            }

            return new ExecutionSite(invocation, SiteKind.EfCore, context, null, source);
        }

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

        /// <summary>
        /// A branch on whether an EF Core context is in a transaction: <c>db.Database.CurrentTransaction == null</c>,
        /// <c>is null</c>, <c>!= null</c>, <c>is not null</c>, <c>is { } tx</c>, and their negations. Returns the context and
        /// whether the condition is true when there is no transaction.
        /// </summary>
        public (ResourceKey Context, bool NoTransactionWhenTrue)? TransactionCheck(IOperation condition)
        {
            condition = Unwrap(condition) ?? condition;
            switch (condition)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand } when TransactionCheck(operand) is { } inner:
                    return (inner.Context, !inner.NoTransactionWhenTrue);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                    var property = IsNullConstant(binary.RightOperand) ? binary.LeftOperand : IsNullConstant(binary.LeftOperand) ? binary.RightOperand : null;
                    return CurrentTransactionOf(property) is { } compared ? (compared, binary.OperatorKind == BinaryOperatorKind.Equals) : null;
                case IIsPatternOperation { Value: var value, Pattern: var pattern } when CurrentTransactionOf(value) is { } tested:
                    return pattern switch
                    {
                        IConstantPatternOperation constant when IsNullConstant(constant.Value) => (tested, true),
                        INegatedPatternOperation { Pattern: IConstantPatternOperation negated } when IsNullConstant(negated.Value) => (tested, false),
                        IDeclarationPatternOperation or IRecursivePatternOperation or ITypePatternOperation => (tested, false),
                        _ => null,
                    };
                default:
                    return null;
            }
        }

        private ResourceKey? CurrentTransactionOf(IOperation? operation) =>
            Unwrap(operation) is IPropertyReferenceOperation { Property.Name: "CurrentTransaction", Instance: { } facade } && _symbols.IsDatabaseFacade(facade.Type)
                ? KeyOf(facade)
                : null;
    }
}
