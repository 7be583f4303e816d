using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog.CSharp
{
    /// <summary>
    /// Reads the migration code of one C# file into migration documents: SQL strings that are migrations (the argument
    /// of a method named <c>Sql</c>: EF Core's <c>migrationBuilder.Sql</c>, FluentMigrator's <c>Execute.Sql</c>) or that
    /// create or alter policies or row-level security (a schema-manager class), EF Core's migration operations
    /// (<see cref="EfCoreMigrationOperations"/>) and FluentMigrator's fluent ones (<see cref="FluentMigratorOperations"/>).
    /// Code in a helper is read once per call (<see cref="MigrationCallers"/>). A migration's <c>Down()</c> undoes it
    /// and is not read. A hole whose value is not known stands for unknown text.
    /// </summary>
    internal sealed class CSharpMigrationReader
    {
        private const int MaxExpansions = 64;

        private readonly MigrationCallers _callers;
        private readonly CSharpValues _values;
        private readonly List<MigrationDocument> _documents;

        public CSharpMigrationReader(MigrationCallers callers, CSharpValues values, List<MigrationDocument> documents)
        {
            _callers = callers;
            _values = values;
            _documents = documents;
        }

        public void Read(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var root = tree.GetRoot(cancellationToken);
            foreach (var node in root.DescendantNodes(n => n is not MethodDeclarationSyntax { Identifier.ValueText: "Down" }))
            {
                switch (node)
                {
                    case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } or InterpolatedStringExpressionSyntax:
                        ReadString((ExpressionSyntax)node);
                        break;
                    case InvocationExpressionSyntax invocation when EfCoreMigrationOperations.IsOperation(invocation):
                        foreach (var context in _callers.ContextsOf(invocation))
                        {
                            foreach (var (sql, at) in EfCoreMigrationOperations.Statements(invocation, context, _values))
                            {
                                AddStatement(sql, at, context);
                            }
                        }

                        break;
                    case InvocationExpressionSyntax invocation when UnreadableSql(invocation) is { } argument:
                        foreach (var context in _callers.ContextsOf(invocation))
                        {
                            var text = argument.ToString();
                            _documents.Add(MigrationDocument.Unknown(
                                context.Path ?? invocation.SyntaxTree.FilePath,
                                invocation.GetLocation(),
                                text.Length > 100 ? text.Substring(0, 97) + "..." : text,
                                "its SQL is the result of a method call, known only at run time",
                                context.OrderKey ?? _callers.OrderKey(invocation),
                                context.Positions.Add(invocation.SpanStart)));
                        }

                        break;
                    case InvocationExpressionSyntax invocation when FluentMigratorOperations.IsChain(invocation):
                        foreach (var context in _callers.ContextsOf(invocation))
                        {
                            foreach (var (sql, at) in FluentMigratorOperations.Statements(invocation, context, _values))
                            {
                                AddStatement(sql, at, context);
                            }
                        }

                        break;
                }
            }
        }

        /// <summary>A statement a C# operation stands for, located at the operation.</summary>
        private void AddStatement(string sql, SyntaxNode at, CallContext context)
        {
            var builder = new SqlSource.Builder();
            builder.AppendCoarse(sql, at.SyntaxTree, at.Span);
            var source = builder.ToSource();
            _documents.Add(new MigrationDocument(
                context.Path ?? at.SyntaxTree.FilePath, at.SpanStart, SqlScript.Parse(source.Text), source.GetLocation,
                context.OrderKey ?? _callers.OrderKey(at), context.Positions.Add(at.SpanStart)));
        }

        private void ReadString(ExpressionSyntax node)
        {
            // The outermost concatenation this string is part of, read once.
            var expression = node;
            while (expression.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } parent)
            {
                expression = parent;
            }

            if (expression is BinaryExpressionSyntax && !IsFirstLeaf(expression, node))
            {
                return;
            }

            // Whether it is migration SQL at all, as the string stands (before any helper's calls are looked for).
            var migrationArgument = IsMigrationSqlArgument(expression);
            if (!migrationArgument)
            {
                var text = Text(expression, CallContext.Root, new Dictionary<string, string>(StringComparer.Ordinal));
                if (text is null || !CatalogBuilder.MentionsRowLevelSecurity(text.Text) || !IsSchemaChange(text.Script))
                {
                    return;
                }
            }

            foreach (var context in _callers.ContextsOf(expression))
            {
                foreach (var values in LoopValues(expression, context))
                {
                    if (Text(expression, context, values) is not { } source)
                    {
                        break;
                    }

                    if (!migrationArgument && !(CatalogBuilder.MentionsRowLevelSecurity(source.Text) && IsSchemaChange(source.Script)))
                    {
                        continue;
                    }

                    _documents.Add(new MigrationDocument(
                        context.Path ?? expression.SyntaxTree.FilePath, expression.SpanStart, source.Script, source.GetLocation,
                        context.OrderKey ?? _callers.OrderKey(expression), context.Positions.Add(expression.SpanStart)));
                }
            }
        }

        /// <summary>The SQL a string expression builds with these values spliced in, or null when none of its text is known.</summary>
        private SqlSource? Text(ExpressionSyntax expression, CallContext context, Dictionary<string, string> values)
        {
            var builder = new SqlSource.Builder();
            Append(builder, expression, context, values);
            return builder.HasKnownText ? builder.ToSource() : null;
        }

        /// <summary>
        /// The values of the variables a string splices in, one dictionary per combination: a string built inside
        /// <c>foreach (var table in tables)</c> over an array or collection of literals is read once per table; a
        /// helper's parameter has the value the call passes; a constant its value. With no such variable, one empty
        /// dictionary (the string as it is).
        /// </summary>
        private IEnumerable<Dictionary<string, string>> LoopValues(ExpressionSyntax expression, CallContext context)
        {
            IEnumerable<Dictionary<string, string>> result = new[] { new Dictionary<string, string>(StringComparer.Ordinal) };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var identifier in CSharpValues.Splices(expression))
            {
                var name = identifier.Identifier.ValueText;
                if (!seen.Add(name))
                {
                    continue;
                }

                var values = _values.Values(identifier, context);
                if (values is null || values.Count == 0)
                {
                    continue;
                }

                result = result.SelectMany(prefix => values.Select(v => new Dictionary<string, string>(prefix, StringComparer.Ordinal) { [name] = v })).Take(MaxExpansions).ToList();
            }

            return result;
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

        /// <summary>
        /// The argument of a migration's <c>migrationBuilder.Sql(...)</c> or <c>Execute.Sql(...)</c> when it is a method's
        /// result with no text of its own (<c>Sql(MultiTenantSql.CreateTenantPolicy())</c>, <c>Sql(File.ReadAllText(path))</c>):
        /// SQL that runs and that TenantGuard cannot read. Null for any other call.
        /// </summary>
        private static ExpressionSyntax? UnreadableSql(InvocationExpressionSyntax invocation)
        {
            if (invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Sql", Expression: IdentifierNameSyntax receiver }
                || invocation.ArgumentList.Arguments.Count == 0
                || invocation.ArgumentList.Arguments[0].Expression is not InvocationExpressionSyntax argument
                || argument.DescendantNodesAndSelf().Any(n => n is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } or InterpolatedStringExpressionSyntax))
            {
                return null;
            }

            var fluentMigrator = receiver.Identifier.ValueText == "Execute" && receiver.Ancestors().OfType<ClassDeclarationSyntax>().Any(c => c.BaseList is not null);
            return fluentMigrator || EfCoreMigrationOperations.IsMigrationBuilder(receiver) ? argument : null;
        }

        /// <summary>The argument of <c>x.Sql(...)</c>: EF Core <c>migrationBuilder.Sql</c>, FluentMigrator <c>Execute.Sql</c>.</summary>
        public static bool IsMigrationSqlArgument(ExpressionSyntax expression) =>
            expression.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Sql" } } } };

        private void Append(SqlSource.Builder builder, ExpressionSyntax expression, CallContext context, Dictionary<string, string> values)
        {
            switch (expression)
            {
                case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } binary:
                    Append(builder, binary.Left, context, values);
                    Append(builder, binary.Right, context, values);
                    break;
                case ParenthesizedExpressionSyntax parenthesized:
                    Append(builder, parenthesized.Expression, context, values);
                    break;
                case IdentifierNameSyntax identifier when values.TryGetValue(identifier.Identifier.ValueText, out var value):
                    builder.AppendCoarse(value, identifier.SyntaxTree, identifier.Span);
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
                        else if (content is InterpolationSyntax { AlignmentClause: null, FormatClause: null } hole
                            && CSharpValues.SplicedVariable(hole.Expression, out var casing) is { } name
                            && values.TryGetValue(name.Identifier.ValueText, out var spliced))
                        {
                            builder.AppendCoarse(casing(spliced), hole.SyntaxTree, hole.Span);
                        }
                        else if (content is InterpolationSyntax { AlignmentClause: null, FormatClause: null } other
                            && !(other.Expression is IdentifierNameSyntax)
                            && _values.Value(other.Expression, context) is { } known)
                        {
                            builder.AppendCoarse(known, other.SyntaxTree, other.Span); // TableNames.Users, nameof(Users)
                        }
                        else
                        {
                            builder.AppendUnknown(content);
                        }
                    }

                    break;
                default:
                    if (_values.Value(expression, context) is { } constant)
                    {
                        builder.AppendCoarse(constant, expression.SyntaxTree, expression.Span);
                    }
                    else
                    {
                        builder.AppendUnknown(expression);
                    }

                    break;
            }
        }
    }
}
