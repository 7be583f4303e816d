using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// Finds the migration SQL of a compilation: .sql AdditionalFiles, and SQL strings in C# that are migrations
    /// (the argument of a method named <c>Sql</c>: EF Core's <c>migrationBuilder.Sql</c>, FluentMigrator's
    /// <c>Execute.Sql</c>) or that create or alter policies or row-level security (a schema-manager class). C# is
    /// read from syntax alone (literals, concatenations of literals, interpolated strings whose holes stand for
    /// unknown text), so the catalog needs no semantic model.
    /// </summary>
    internal static class MigrationSources
    {
        public static PolicyCatalog Read(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles, CancellationToken cancellationToken)
        {
            var documents = new List<MigrationDocument>();
            foreach (var file in additionalFiles)
            {
                if (!file.Path.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var text = file.GetText(cancellationToken);
                if (text is not null)
                {
                    documents.Add(MigrationDocument.FromFile(file.Path, text));
                }
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var text = tree.GetText(cancellationToken).ToString();
                if (!CatalogBuilder.MentionsRowLevelSecurity(text) && text.IndexOf(".Sql(", StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                ReadTree(tree, documents, cancellationToken);
            }

            documents.Sort((a, b) =>
            {
                var order = string.Compare(a.OrderKey, b.OrderKey, StringComparison.OrdinalIgnoreCase);
                if (order == 0)
                {
                    order = string.Compare(a.Path, b.Path, StringComparison.Ordinal);
                }

                return order != 0 ? order : a.Position.CompareTo(b.Position);
            });

            if (documents.Count == 0)
            {
                return PolicyCatalog.Empty;
            }

            var builder = new CatalogBuilder();
            foreach (var document in documents)
            {
                builder.Read(document);
            }

            return builder.Build();
        }

        private static void ReadTree(SyntaxTree tree, List<MigrationDocument> documents, CancellationToken cancellationToken)
        {
            var root = tree.GetRoot(cancellationToken);
            // A migration's Down() undoes it: not part of the schema the code runs against.
            foreach (var node in root.DescendantNodes(n => n is not MethodDeclarationSyntax { Identifier.ValueText: "Down" }))
            {
                if (node is not (LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } or InterpolatedStringExpressionSyntax))
                {
                    continue;
                }

                // The outermost concatenation this string is part of, read once.
                var expression = (ExpressionSyntax)node;
                while (expression.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } parent)
                {
                    expression = parent;
                }

                if (expression is BinaryExpressionSyntax && !IsFirstLeaf(expression, node))
                {
                    continue;
                }

                var builder = new SqlSource.Builder();
                Append(builder, expression);
                if (!builder.HasKnownText)
                {
                    continue;
                }

                var source = builder.ToSource();
                var script = SqlScript.Parse(source.Text);
                if (!IsMigrationSqlArgument(expression) && !(CatalogBuilder.MentionsRowLevelSecurity(source.Text) && IsSchemaChange(script)))
                {
                    continue;
                }

                documents.Add(new MigrationDocument(tree.FilePath, expression.SpanStart, script, source.GetLocation));
            }
        }

        /// <summary>Whether a script changes the schema (a statement begins with CREATE, ALTER, DROP, GRANT or DO).</summary>
        private static bool IsSchemaChange(SqlScript script)
        {
            foreach (var statement in script.Statements)
            {
                var first = script.IdentifierValue(statement.Tokens[0]);
                if (first is "create" or "alter" or "drop" or "grant" or "do")
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsFirstLeaf(ExpressionSyntax concatenation, SyntaxNode leaf)
        {
            while (concatenation is BinaryExpressionSyntax binary)
            {
                concatenation = binary.Left;
            }

            return concatenation == leaf;
        }

        /// <summary>The argument of <c>x.Sql(...)</c>: EF Core <c>migrationBuilder.Sql</c>, FluentMigrator <c>Execute.Sql</c>.</summary>
        private static bool IsMigrationSqlArgument(ExpressionSyntax expression) =>
            expression.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Sql" } } } };

        private static void Append(SqlSource.Builder builder, ExpressionSyntax expression)
        {
            switch (expression)
            {
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } binary:
                    Append(builder, binary.Left);
                    Append(builder, binary.Right);
                    break;
                case ParenthesizedExpressionSyntax parenthesized:
                    Append(builder, parenthesized.Expression);
                    break;
                case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal:
                    LiteralMap.Append(builder, literal.Token, literal.Token.ValueText);
                    break;
                case InterpolatedStringExpressionSyntax interpolated:
                    foreach (var content in interpolated.Contents)
                    {
                        if (content is InterpolatedStringTextSyntax text)
                        {
                            LiteralMap.Append(builder, text.TextToken, text.TextToken.ValueText);
                        }
                        else
                        {
                            builder.AppendUnknown(content);
                        }
                    }

                    break;
                default:
                    builder.AppendUnknown(expression);
                    break;
            }
        }
    }
}
