using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TenantGuard.CodeFixes.Infrastructure
{
    internal static class SyntaxHelpers
    {
        /// <summary>The statement containing the node whose parent is a block, and that block.</summary>
        public static StatementSyntax? StatementInBlock(SyntaxNode node, out BlockSyntax? block)
        {
            for (var current = node; current is not null; current = current.Parent)
            {
                if (current is StatementSyntax statement && statement.Parent is BlockSyntax parent)
                {
                    block = parent;
                    return statement;
                }

                if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
                {
                    break;
                }
            }

            block = null;
            return null;
        }

        /// <summary>Whether the function around the node is async (so inserted calls can be awaited).</summary>
        public static bool IsInAsyncFunction(SyntaxNode node)
        {
            for (var current = node.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case AnonymousFunctionExpressionSyntax lambda:
                        return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                    case LocalFunctionStatementSyntax local:
                        return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                    case MethodDeclarationSyntax method:
                        return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                    case MemberDeclarationSyntax:
                        return false;
                }
            }

            return false;
        }

        /// <summary>A statement parsed from text, indented like <paramref name="like"/> and ended with its line break.</summary>
        public static StatementSyntax Statement(string text, StatementSyntax like)
        {
            var indentation = like.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
            var endOfLine = like.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var statement = SyntaxFactory.ParseStatement(text);
            statement = statement.WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation));
            return statement.WithTrailingTrivia(endOfLine == default ? SyntaxFactory.EndOfLine("\n") : endOfLine);
        }

        /// <summary>
        /// Inserts statements before the one at <paramref name="index"/>: the first inserted takes over its leading
        /// trivia (a blank line, a comment above it), the statement keeps only its indentation.
        /// </summary>
        public static SyntaxList<StatementSyntax> InsertBefore(SyntaxList<StatementSyntax> statements, int index, System.Collections.Generic.IEnumerable<StatementSyntax> inserted)
        {
            var list = inserted.ToList();
            if (list.Count == 0)
            {
                return statements;
            }

            var target = statements[index];
            var indentation = target.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
            list[0] = list[0].WithLeadingTrivia(target.GetLeadingTrivia());
            list.Add(target.WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation)));
            return statements.RemoveAt(index).InsertRange(index, list);
        }

        /// <summary>
        /// An empty block filled with statements, laid out on lines of their own, indented one level deeper than the
        /// line of <paramref name="owner"/> (a catch clause, say).
        /// </summary>
        public static BlockSyntax Fill(BlockSyntax block, SyntaxNode owner, System.Collections.Generic.IEnumerable<string> statements)
        {
            var indentation = owner.GetFirstToken().LeadingTrivia.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault().ToString();
            var inner = SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indentation + "    "));
            var list = statements.Select(text => SyntaxFactory.ParseStatement(text).WithLeadingTrivia(inner).WithTrailingTrivia(SyntaxFactory.EndOfLine("\n")));
            var onItsOwnLine = block.OpenBraceToken.GetPreviousToken().TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var open = onItsOwnLine
                ? block.OpenBraceToken.WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"))
                : SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.EndOfLine("\n"), SyntaxFactory.Whitespace(indentation)).WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"));
            return block
                .WithOpenBraceToken(open)
                .WithStatements(SyntaxFactory.List(list))
                .WithCloseBraceToken(SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Whitespace(indentation)).WithTrailingTrivia(block.CloseBraceToken.TrailingTrivia));
        }

        /// <summary>The file with <c>using {ns};</c> added, unless it has it.</summary>
        public static SyntaxNode WithUsing(SyntaxNode root, string ns)
        {
            if (root is not CompilationUnitSyntax unit || unit.Usings.Any(u => u.Name?.ToString() == ns))
            {
                return root;
            }

            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns)).NormalizeWhitespace().WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"));
            return unit.AddUsings(directive);
        }

        /// <summary>The type of a value symbol: a local, parameter, field or property; null for anything else.</summary>
        public static ITypeSymbol? TypeOf(ISymbol? symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        /// <summary>A name not yet visible at the position: <paramref name="preferred"/>, else with a number.</summary>
        public static string UniqueName(SemanticModel model, int position, string preferred)
        {
            var name = preferred;
            for (var i = 2; model.LookupSymbols(position, name: name).Length > 0; i++)
            {
                name = preferred + i;
            }

            return name;
        }

        /// <summary>Whether any identifier in the node is <paramref name="name"/>.</summary>
        public static bool Mentions(SyntaxNode node, string name) =>
            node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == name);

        public static string Literal(string value) => SyntaxFactory.Literal(value).Text;

        /// <summary><c>name: expression</c>, spaced as people write it.</summary>
        public static ArgumentSyntax NamedArgument(string name, ExpressionSyntax expression) =>
            SyntaxFactory.Argument(expression).WithNameColon(SyntaxFactory.NameColon(
                SyntaxFactory.IdentifierName(name),
                SyntaxFactory.Token(SyntaxKind.ColonToken).WithTrailingTrivia(SyntaxFactory.Space)));
    }
}
