using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// The schema fixes where the schema is written in C#: TG2005 and TG2006 rewrite the setting read inside the SQL
    /// string of <c>migrationBuilder.Sql("...")</c> or <c>Execute.Sql("...")</c>; TG2002 adds
    /// <c>migrationBuilder.Sql("ALTER TABLE t FORCE ROW LEVEL SECURITY;")</c> after the call that enables row-level
    /// security; TG2001 adds the calls that enable and force it, with a tenant policy, after the
    /// <c>migrationBuilder.CreateTable(...)</c> (or <c>Sql("CREATE TABLE ...")</c>) that created the table. The rule says
    /// what to write in the diagnostic's properties (<see cref="FixProperties"/>). No fix where the reported text is built
    /// from values known only at run time (a helper's parameter): the fix would write one call's value for every call.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CSharpMigrationCodeFix)), Shared]
    public sealed class CSharpMigrationCodeFix : CodeFixProvider
    {
        /// <summary>What the equivalence key of each fix of this provider ends with (one kind of fix per rule).</summary>
        public const string EquivalenceKey = nameof(CSharpMigrationCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
            Descriptors.TG2001_TableWithoutRls.Id, Descriptors.TG2002_RlsNotForced.Id, Descriptors.TG2005_UnsafeSettingRead.Id, Descriptors.TG2006_SettingReadPerRow.Id,
            Descriptors.TG2011_RejectedStatement.Id);

        /// <summary>The equivalence key of the fix of a rule: Fix All fixes one rule at a time.</summary>
        public static string EquivalenceKeyFor(string diagnosticId) => diagnosticId + ":" + EquivalenceKey;

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (Change(root, text, diagnostic, out var title) is not { } change)
                {
                    continue;
                }

                var document = context.Document;
                context.RegisterCodeFix(
                    CodeAction.Create(title, _ => Task.FromResult(document.WithText(text.WithChanges(change))), EquivalenceKeyFor(diagnostic.Id)),
                    diagnostic);
            }
        }

        /// <summary>The edit that fixes one diagnostic, or null where it cannot be made safely.</summary>
        private static TextChange? Change(SyntaxNode root, SourceText text, Diagnostic diagnostic, out string title)
        {
            title = string.Empty;
            var properties = diagnostic.Properties;
            var span = diagnostic.Location.SourceSpan;
            if (properties.TryGetValue(FixProperties.Append, out var append) && append is not null)
            {
                title = properties.TryGetValue(FixProperties.Title, out var given) && given is not null ? given : "Add " + append;
                return Append(root, text, span, append);
            }

            if (properties.TryGetValue(FixProperties.Find, out var find) && find is not null && properties.TryGetValue(FixProperties.Replace, out var replace) && replace is not null)
            {
                title = properties.TryGetValue(FixProperties.Title, out var given) && given is not null ? given : "Write " + replace;
                return Replace(root, text, span, find, replace);
            }

            return null;
        }

        /// <summary>Text inside one string literal: the first occurrence of <paramref name="find"/> in the reported span, rewritten.</summary>
        private static TextChange? Replace(SyntaxNode root, SourceText text, TextSpan span, string find, string replace)
        {
            var token = root.FindToken(span.Start);
            if (!token.Span.Contains(span) || Escape(token, find) is not { } written || Escape(token, replace) is not { } replacement)
            {
                return null;
            }

            var at = text.ToString(span).IndexOf(written, StringComparison.Ordinal);
            return at < 0 ? null : new TextChange(new TextSpan(span.Start + at, written.Length), replacement);
        }

        /// <summary>SQL as it is written inside a literal of this kind, or null where TenantGuard does not write that kind.</summary>
        private static string? Escape(SyntaxToken token, string sql)
        {
            var source = token.Text;
            switch (token.Kind())
            {
                case SyntaxKind.StringLiteralToken when source.StartsWith("@", StringComparison.Ordinal):
                    return sql.Replace("\"", "\"\"");
                case SyntaxKind.StringLiteralToken:
                    return sql.Replace("\\", "\\\\").Replace("\"", "\\\"");
                case SyntaxKind.SingleLineRawStringLiteralToken:
                case SyntaxKind.MultiLineRawStringLiteralToken:
                    return sql.IndexOf("\"\"\"", StringComparison.Ordinal) >= 0 ? null : sql;
                case SyntaxKind.InterpolatedStringTextToken:
                    var braces = sql.Replace("{", "{{").Replace("}", "}}");
                    var start = (token.Parent?.Parent as InterpolatedStringExpressionSyntax)?.StringStartToken.Text ?? "$\"";
                    return start.IndexOf("\"\"\"", StringComparison.Ordinal) >= 0 ? (braces.IndexOf("\"\"\"", StringComparison.Ordinal) >= 0 ? null : braces)
                        : start.IndexOf('@') >= 0 ? braces.Replace("\"", "\"\"")
                        : braces.Replace("\\", "\\\\").Replace("\"", "\\\"");
                default:
                    return null;
            }
        }

        /// <summary>
        /// New <c>receiver.Sql("...")</c> statements, one per line of <paramref name="append"/>, after the statement that
        /// holds the reported migration code: a literal <c>x.Sql("...")</c> argument, an EF Core operation
        /// (<c>migrationBuilder.CreateTable</c>), or FluentMigrator's <c>Create.Table</c> (then <c>Execute.Sql</c>).
        /// </summary>
        private static TextChange? Append(SyntaxNode root, SourceText text, TextSpan span, string append)
        {
            var node = root.FindNode(span, getInnermostNodeForTie: true);
            if (Receiver(node) is not { } receiver
                || node.FirstAncestorOrSelf<StatementSyntax>() is not ExpressionStatementSyntax { Parent: BlockSyntax } statement)
            {
                return null;
            }

            var indentation = statement.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString();
            var newLine = statement.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString();
            if (newLine.Length == 0)
            {
                newLine = text.ToString().IndexOf("\r\n", StringComparison.Ordinal) >= 0 ? "\r\n" : "\n";
            }

            var calls = new System.Text.StringBuilder();
            foreach (var line in append.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
            {
                calls.Append(indentation).Append(receiver).Append(".Sql(").Append(SyntaxFactory.Literal(line).Text).Append(");").Append(newLine);
            }

            // After the statement's line break, so the new calls stand on lines of their own.
            var end = statement.FullSpan.End;
            var lead = statement.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) ? string.Empty : newLine;
            return new TextChange(new TextSpan(end, 0), lead + calls);
        }

        /// <summary>What the new <c>Sql(...)</c> calls are made on, or null where the reported code is not migration code the fix can extend.</summary>
        private static string? Receiver(SyntaxNode node)
        {
            // A literal argument of x.Sql("..."): its text must be all literal, or the fix would write one call's value for every call.
            if (node.FirstAncestorOrSelf<ArgumentSyntax>() is { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Sql" } sql } } } argument)
            {
                return IsLiteral(argument.Expression) ? sql.Expression.ToString() : null;
            }

            if (node.FirstAncestorOrSelf<MemberAccessExpressionSyntax>() is not { Parent: InvocationExpressionSyntax invocation } member)
            {
                return null;
            }

            // migrationBuilder.CreateTable(name: "api_keys", ...): the table's name must be a literal.
            if (member.Name.Identifier.ValueText == "CreateTable" && member.Expression is IdentifierNameSyntax builder)
            {
                var name = invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == "name")
                    ?? invocation.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon is null);
                return name is not null && IsLiteral(name.Expression) ? builder.Identifier.ValueText : null;
            }

            // FluentMigrator: Create.Table("orders")... in a migration, whose Execute.Sql runs SQL.
            if (member is { Expression: IdentifierNameSyntax { Identifier.ValueText: "Create" }, Name.Identifier.ValueText: "Table" }
                && invocation.ArgumentList.Arguments.FirstOrDefault() is { } table && IsLiteral(table.Expression))
            {
                return "Execute";
            }

            return null;
        }

        private static bool IsLiteral(ExpressionSyntax expression) => expression switch
        {
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } => true,
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } binary => IsLiteral(binary.Left) && IsLiteral(binary.Right),
            ParenthesizedExpressionSyntax parenthesized => IsLiteral(parenthesized.Expression),
            _ => false,
        };
    }
}
