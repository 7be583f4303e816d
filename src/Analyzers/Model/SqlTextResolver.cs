using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Sql;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// Reads the SQL a C# expression evaluates to, as far as the compiler knows it: literals (regular, verbatim,
    /// raw), constants, concatenation, interpolated strings and locals assigned once. What is only known at run
    /// time becomes a hole: bound when the API turns it into a parameter (EF Core FormattableString), spliced
    /// text otherwise. A choice between texts (<c>c ? "A" : "B"</c>) is read as its branches (<see cref="Branches"/>).
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

        /// <summary>
        /// The texts of a SQL expression that picks one of several (<c>ok ? "SET app.user_id = '...'" : "RESET app.user_id"</c>,
        /// directly or through a local assigned once), each read as above; empty when the expression is not such a choice.
        /// </summary>
        public static System.Collections.Immutable.ImmutableArray<SqlSource> Branches(IOperation expression, MethodModel model)
        {
            var result = System.Collections.Immutable.ImmutableArray.CreateBuilder<SqlSource>();
            CollectBranches(expression, model, result, 0);
            return result.Count > 1 ? result.ToImmutable() : System.Collections.Immutable.ImmutableArray<SqlSource>.Empty;
        }

        private static void CollectBranches(IOperation? operation, MethodModel model, System.Collections.Immutable.ImmutableArray<SqlSource>.Builder result, int depth)
        {
            operation = Unwrap(operation);
            if (depth > 3)
            {
                return;
            }

            switch (operation)
            {
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional when conditional.Type?.SpecialType == SpecialType.System_String:
                    foreach (var branch in new[] { conditional.WhenTrue, whenFalse })
                    {
                        if (Unwrap(branch) is IConditionalOperation)
                        {
                            CollectBranches(branch, model, result, depth + 1);
                        }
                        else if (Resolve(branch, model, bound: false) is { } text)
                        {
                            result.Add(text);
                        }
                    }

                    break;
                case ILocalReferenceOperation local when ValueOf(local, model) is { } value:
                    CollectBranches(value, model, result, depth + 1);
                    break;
            }
        }

        /// <summary>The value of a local assigned once, read outside its own declaration; null otherwise.</summary>
        private static IOperation? ValueOf(ILocalReferenceOperation local, MethodModel model) =>
            model.SingleAssignment(local.Local) is { } value
            && local.Local.DeclaringSyntaxReferences.Length == 1
            && !IsWithin(local.Syntax, local.Local.DeclaringSyntaxReferences[0].GetSyntax())
                ? value
                : null;

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
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
                case IInvocationOperation { TargetMethod: { Name: "Format", IsStatic: true, ContainingType.SpecialType: SpecialType.System_String } } format
                        when FormatParts(format) is { } parts:
                    // string.Format("SET app.tenant_id = '{0}'", org): the format's text, each {n} the spliced argument.
                    foreach (var (text, argument) in parts)
                    {
                        if (argument is null)
                        {
                            builder.AppendCoarse(text, format.Syntax.SyntaxTree, format.Arguments[0].Syntax.Span);
                        }
                        else
                        {
                            builder.AppendHole(argument, bound: false);
                        }
                    }

                    return;
                case ILocalReferenceOperation local when ValueOf(local, model) is { } value:
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

        /// <summary>
        /// The pieces of a <c>string.Format</c> call with a constant format: text, and the argument each <c>{n}</c>
        /// splices (with its alignment and format ignored). Null when the format or an index cannot be read.
        /// </summary>
        private static System.Collections.Generic.List<(string Text, IOperation? Argument)>? FormatParts(IInvocationOperation format)
        {
            if (format.Arguments.Length < 2 || format.Arguments[0].Value.ConstantValue.Value is not string pattern || format.Arguments[0].Parameter?.Type.SpecialType != SpecialType.System_String)
            {
                return null;
            }

            var arguments = new System.Collections.Generic.List<IOperation>();
            for (var i = 1; i < format.Arguments.Length; i++)
            {
                if (format.Arguments[i].Value is IArrayCreationOperation { Initializer: { } initializer } && format.Arguments[i].ArgumentKind == ArgumentKind.ParamArray)
                {
                    arguments.AddRange(initializer.ElementValues);
                }
                else
                {
                    arguments.Add(format.Arguments[i].Value);
                }
            }

            var parts = new System.Collections.Generic.List<(string, IOperation?)>();
            var text = new System.Text.StringBuilder();
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if ((c == '{' || c == '}') && i + 1 < pattern.Length && pattern[i + 1] == c)
                {
                    text.Append(c);
                    i++;
                    continue;
                }

                if (c != '{')
                {
                    text.Append(c);
                    continue;
                }

                var close = pattern.IndexOf('}', i);
                if (close < 0)
                {
                    return null;
                }

                var spec = pattern.Substring(i + 1, close - i - 1);
                var end = spec.IndexOfAny(new[] { ',', ':' });
                if (!int.TryParse(end < 0 ? spec : spec.Substring(0, end), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) || index >= arguments.Count)
                {
                    return null;
                }

                if (text.Length > 0)
                {
                    parts.Add((text.ToString(), null));
                    text.Clear();
                }

                parts.Add((string.Empty, arguments[index]));
                i = close;
            }

            if (text.Length > 0)
            {
                parts.Add((text.ToString(), null));
            }

            return parts;
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