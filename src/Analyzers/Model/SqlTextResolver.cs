using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// Reads the SQL a C# expression evaluates to, as far as the compiler knows it: literals (regular, verbatim,
    /// raw), constants, concatenation, interpolated strings and locals assigned once. What is only known at run
    /// time becomes a hole: bound when the API turns it into a parameter (EF Core FormattableString), spliced
    /// text otherwise.
    /// </summary>
    internal static class SqlTextResolver
    {
        private const int MaxDepth = 8;

        public static SqlSource? Resolve(IOperation expression, MethodModel model, bool bound)
        {
            var builder = new SqlSource.Builder();
            Append(builder, expression, model, bound, 0);
            return builder.HasKnownText ? builder.ToSource() : null;
        }

        private static void Append(SqlSource.Builder builder, IOperation? operation, MethodModel model, bool bound, int depth)
        {
            operation = Unwrap(operation);
            if (operation is null)
            {
                return;
            }

            if (depth > MaxDepth)
            {
                builder.AppendHole(operation, bound: false);
                return;
            }

            switch (operation)
            {
                case ILiteralOperation literal when literal.ConstantValue.Value is string value && literal.Syntax is LiteralExpressionSyntax syntax:
                    LiteralMap.Append(builder, syntax.Token, value);
                    return;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary when binary.Type?.SpecialType == SpecialType.System_String:
                    Append(builder, binary.LeftOperand, model, bound, depth + 1);
                    Append(builder, binary.RightOperand, model, bound, depth + 1);
                    return;
                case IInterpolatedStringOperation interpolated:
                    foreach (var part in interpolated.Parts)
                    {
                        switch (part)
                        {
                            case IInterpolatedStringTextOperation { Text: { ConstantValue.Value: string text } textOperation }:
                                if (textOperation.Syntax is InterpolatedStringTextSyntax textSyntax)
                                {
                                    LiteralMap.Append(builder, textSyntax.TextToken, text);
                                }
                                else
                                {
                                    builder.AppendCoarse(text, textOperation.Syntax.SyntaxTree, textOperation.Syntax.Span);
                                }

                                break;
                            case IInterpolationOperation { Expression: { } hole, Alignment: null, FormatString: null } when !bound && hole.ConstantValue.Value is string:
                                Append(builder, hole, model, bound, depth + 1);
                                break;
                            case IInterpolationOperation interpolation:
                                builder.AppendHole(interpolation.Expression, bound);
                                break;
                        }
                    }

                    return;
                case ILocalReferenceOperation local when model.SingleAssignment(local.Local) is { } value
                        && local.Local.DeclaringSyntaxReferences.Length == 1
                        && !IsWithin(local.Syntax, local.Local.DeclaringSyntaxReferences[0].GetSyntax()):
                    Append(builder, value, model, bound, depth + 1);
                    return;
            }

            if (operation is IFieldReferenceOperation { Field: { IsReadOnly: true, IsStatic: true, Type.SpecialType: SpecialType.System_String } field } && ReadOnlyFieldText(field) is { } fieldText)
            {
                // static readonly string Sql = "...": read from the declaration's literal, located at the reference.
                builder.AppendCoarse(fieldText, operation.Syntax.SyntaxTree, operation.Syntax.Span);
                return;
            }

            if (operation.ConstantValue.Value is string constant)
            {
                // A constant declared elsewhere: its characters point at the reference.
                builder.AppendCoarse(constant, operation.Syntax.SyntaxTree, operation.Syntax.Span);
                return;
            }

            builder.AppendHole(operation, bound: false);
        }

        /// <summary>The value of a static readonly string field initialized with a plain literal, read from syntax alone.</summary>
        private static string? ReadOnlyFieldText(IFieldSymbol field)
        {
            if (field.DeclaringSyntaxReferences.Length != 1
                || field.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: LiteralExpressionSyntax literal }
                || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                return null;
            }

            return literal.Token.ValueText;
        }
    }
}