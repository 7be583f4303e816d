using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TenantGuard.Analyzers.Catalog.CSharp
{
    /// <summary>
    /// The string values of C# expressions in migration code, read from syntax alone: literals, string constants
    /// (a <c>const</c> local, a <c>const</c> or <c>static readonly</c> string field of the enclosing types), concatenations
    /// and interpolations of those, <c>nameof</c>, a helper's parameters as one call passes them (<see cref="CallContext"/>),
    /// and the literals a <c>foreach</c> loops over. Anything else is unknown (null).
    /// </summary>
    internal sealed class CSharpValues
    {
        private const int MaxConstantDepth = 4;

        private readonly IReadOnlyList<(SyntaxTree Tree, string Text)> _trees;
        private readonly Dictionary<string, List<TypeDeclarationSyntax>> _types = new(StringComparer.Ordinal);

        /// <param name="trees">Every source file of the compilation with its text, where constants of other types are looked up.</param>
        public CSharpValues(IReadOnlyList<(SyntaxTree Tree, string Text)> trees)
        {
            _trees = trees;
        }

        /// <summary>The one value of an expression in a call's context, or null when it is not known.</summary>
        public string? Value(ExpressionSyntax? expression, CallContext context, int depth = 0)
        {
            switch (expression)
            {
                case null:
                    return null;
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal:
                    return literal.Token.ValueText;
                case ParenthesizedExpressionSyntax parenthesized:
                    return Value(parenthesized.Expression, context, depth);
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } binary:
                    return Value(binary.Left, context, depth) is { } left && Value(binary.Right, context, depth) is { } right ? left + right : null;
                case IdentifierNameSyntax identifier:
                    return IsParameter(identifier) ? context.Values.TryGetValue(identifier.Identifier.ValueText, out var value) ? value : null : ConstantText(identifier, depth);
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax } member:
                    return MemberConstant(member, depth);
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" }, ArgumentList.Arguments: { Count: 1 } arguments }:
                    return arguments[0].Expression switch
                    {
                        IdentifierNameSyntax name => name.Identifier.ValueText,
                        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                        _ => null,
                    };
                case InterpolatedStringExpressionSyntax interpolated:
                    var text = new System.Text.StringBuilder();
                    foreach (var content in interpolated.Contents)
                    {
                        switch (content)
                        {
                            case InterpolatedStringTextSyntax part:
                                text.Append(part.TextToken.ValueText);
                                break;
                            case InterpolationSyntax { AlignmentClause: null, FormatClause: null } hole when Value(hole.Expression, context, depth + 1) is { } spliced:
                                text.Append(spliced);
                                break;
                            default:
                                return null;
                        }
                    }

                    return text.ToString();
                default:
                    return null;
            }
        }

        /// <summary>The values an expression may take: one, or one per literal a loop variable runs over.</summary>
        public List<string>? Values(ExpressionSyntax expression, CallContext context)
        {
            if (expression is IdentifierNameSyntax identifier && EnclosingLoop(identifier) is { } loop)
            {
                return LoopElements(loop, context);
            }

            return Value(expression, context) is { } value ? new List<string> { value } : null;
        }

        /// <summary>The <c>foreach</c> of the same member whose variable an identifier names, if any.</summary>
        public static ForEachStatementSyntax? EnclosingLoop(IdentifierNameSyntax identifier)
        {
            var name = identifier.Identifier.ValueText;
            foreach (var ancestor in identifier.Ancestors())
            {
                if (ancestor is ForEachStatementSyntax loop && loop.Identifier.ValueText == name)
                {
                    return loop;
                }

                if (ancestor is MemberDeclarationSyntax)
                {
                    break;
                }
            }

            return null;
        }

        /// <summary>The string literals a <c>foreach</c> loops over, or null.</summary>
        public List<string>? LoopElements(ForEachStatementSyntax loop, CallContext context)
        {
            if (loop.Expression is IdentifierNameSyntax collection && IsParameter(collection))
            {
                return context.Lists.TryGetValue(collection.Identifier.ValueText, out var list) ? list.ToList() : null;
            }

            return LiteralElements(loop.Expression, loop, 0);
        }

        /// <summary>Whether an identifier names a parameter of the method, local function or lambda it stands in.</summary>
        public static bool IsParameter(IdentifierNameSyntax identifier)
        {
            var name = identifier.Identifier.ValueText;
            foreach (var scope in identifier.Ancestors())
            {
                var parameters = scope switch
                {
                    SimpleLambdaExpressionSyntax simple => new[] { simple.Parameter },
                    ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList.Parameters.ToArray(),
                    LocalFunctionStatementSyntax local => local.ParameterList.Parameters.ToArray(),
                    BaseMethodDeclarationSyntax method => method.ParameterList.Parameters.ToArray(),
                    _ => null,
                };
                if (parameters?.Any(p => p.Identifier.ValueText == name) == true)
                {
                    return true;
                }

                if (scope is BaseMethodDeclarationSyntax or TypeDeclarationSyntax)
                {
                    break;
                }
            }

            return false;
        }

        /// <summary>
        /// The text of the string constant an identifier names, read from syntax: a <c>const</c> local of the enclosing
        /// member, or a <c>const</c> or <c>static readonly</c> string field of the enclosing types (FluentMigrator's
        /// <c>const string Table = "cars";</c> spliced into <c>Execute.Sql($"ALTER TABLE {Table} ...")</c>), whose
        /// initializer is a literal, or a concatenation or interpolation of literals and such constants. Null when the
        /// name is a parameter or a variable of the member, or the value is not known.
        /// </summary>
        public string? ConstantText(IdentifierNameSyntax identifier, int depth = 0)
        {
            if (depth > MaxConstantDepth || IsParameter(identifier) || EnclosingLoop(identifier) is not null)
            {
                return null;
            }

            var name = identifier.Identifier.ValueText;
            if (identifier.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax) is { } member)
            {
                foreach (var local in member.DescendantNodes().OfType<LocalDeclarationStatementSyntax>())
                {
                    if (local.Declaration.Variables.FirstOrDefault(v => v.Identifier.ValueText == name) is { } variable)
                    {
                        return local.IsConst && variable.Initializer is { } initializer ? Constant(initializer.Value, depth) : null;
                    }
                }
            }

            foreach (var type in identifier.Ancestors().OfType<TypeDeclarationSyntax>())
            {
                if (FieldConstant(type, name, depth, out var value))
                {
                    return value;
                }
            }

            return null;
        }

        /// <summary><c>TableNames.Users</c>: a string constant of another type, by its simple name.</summary>
        private string? MemberConstant(MemberAccessExpressionSyntax member, int depth)
        {
            if (depth > MaxConstantDepth || member.Expression is not SimpleNameSyntax { Identifier.ValueText: var typeName })
            {
                return null;
            }

            foreach (var type in TypesNamed(typeName))
            {
                if (FieldConstant(type, member.Name.Identifier.ValueText, depth, out var value))
                {
                    return value;
                }
            }

            return null;
        }

        /// <summary>The declarations of the types of a simple name, in every file that mentions it (looked up once per name).</summary>
        private List<TypeDeclarationSyntax> TypesNamed(string name)
        {
            if (!_types.TryGetValue(name, out var types))
            {
                types = new List<TypeDeclarationSyntax>();
                foreach (var (tree, text) in _trees)
                {
                    if (text.IndexOf(name, StringComparison.Ordinal) < 0)
                    {
                        continue;
                    }

                    types.AddRange(tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
                        .OfType<TypeDeclarationSyntax>().Where(t => t.Identifier.ValueText == name));
                }

                _types[name] = types;
            }

            return types;
        }

        private bool FieldConstant(TypeDeclarationSyntax type, string name, int depth, out string? value)
        {
            foreach (var field in type.Members.OfType<FieldDeclarationSyntax>())
            {
                if (field.Declaration.Variables.FirstOrDefault(v => v.Identifier.ValueText == name) is not { } variable)
                {
                    continue;
                }

                var modifiers = field.Modifiers;
                var constant = modifiers.Any(SyntaxKind.ConstKeyword) || (modifiers.Any(SyntaxKind.StaticKeyword) && modifiers.Any(SyntaxKind.ReadOnlyKeyword));
                value = constant && field.Declaration.Type is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.StringKeyword } && variable.Initializer is { } initializer
                    ? Constant(initializer.Value, depth)
                    : null;
                return true;
            }

            value = null;
            return false;
        }

        /// <summary>The value of a constant string expression: literals, <c>+</c>, interpolations of constants.</summary>
        private string? Constant(ExpressionSyntax expression, int depth) => Value(expression, CallContext.Root, depth + 1);

        /// <summary>The variable an interpolation hole splices in: <c>{table}</c>, <c>{table.ToLower()}</c>.</summary>
        public static IdentifierNameSyntax? SplicedVariable(ExpressionSyntax hole, out Func<string, string> casing)
        {
            casing = value => value;
            switch (hole)
            {
                case IdentifierNameSyntax identifier:
                    return identifier;
                case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax identifier, Name.Identifier.ValueText: var method } }
                    when method is "ToLower" or "ToLowerInvariant" or "ToUpper" or "ToUpperInvariant":
                    casing = method.StartsWith("ToLower", StringComparison.Ordinal) ? value => value.ToLowerInvariant() : value => value.ToUpperInvariant();
                    return identifier;
                default:
                    return null;
            }
        }

        /// <summary>The plain identifiers a string splices in (<c>{table}</c>, <c>" + table + "</c>).</summary>
        public static IEnumerable<IdentifierNameSyntax> Splices(ExpressionSyntax expression)
        {
            switch (expression)
            {
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } binary:
                    return Splices(binary.Left).Concat(Splices(binary.Right));
                case ParenthesizedExpressionSyntax parenthesized:
                    return Splices(parenthesized.Expression);
                case IdentifierNameSyntax identifier:
                    return new[] { identifier };
                case InterpolatedStringExpressionSyntax interpolated:
                    return interpolated.Contents.OfType<InterpolationSyntax>().Select(i => SplicedVariable(i.Expression, out _)).OfType<IdentifierNameSyntax>();
                default:
                    return Enumerable.Empty<IdentifierNameSyntax>();
            }
        }

        /// <summary>
        /// The string literals of a collection: <c>new[] { "a", "b" }</c>, <c>["a", "b"]</c>, <c>new List&lt;string&gt; { ... }</c>,
        /// or a local or field of the same type declaration initialized with one.
        /// </summary>
        public List<string>? LiteralElements(ExpressionSyntax collection, SyntaxNode context, int depth)
        {
            IEnumerable<ExpressionSyntax>? elements = collection switch
            {
                ImplicitArrayCreationExpressionSyntax array => array.Initializer.Expressions,
                ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
                InitializerExpressionSyntax initializer => initializer.Expressions,
                ObjectCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
                ImplicitObjectCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
                CollectionExpressionSyntax collectionExpression => collectionExpression.Elements.Select(e => (e as ExpressionElementSyntax)?.Expression!),
                _ => null,
            };

            if (elements is not null)
            {
                var values = new List<string>();
                foreach (var element in elements)
                {
                    if (element is null || Value(element, CallContext.Root, depth + 1) is not { } value)
                    {
                        return null;
                    }

                    values.Add(value);
                }

                return values;
            }

            if (collection is not IdentifierNameSyntax { Identifier.ValueText: var name } || depth > 2)
            {
                return null;
            }

            // var tables = new[] { ... }; in the enclosing member, or a field of the enclosing type.
            var scopes = context.Ancestors().Where(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or TypeDeclarationSyntax);
            foreach (var scope in scopes)
            {
                foreach (var declarator in scope.DescendantNodes().OfType<VariableDeclaratorSyntax>())
                {
                    if (declarator.Identifier.ValueText == name && declarator.Initializer?.Value is { } value)
                    {
                        return LiteralElements(value, declarator, depth + 1);
                    }
                }
            }

            return null;
        }
    }
}
