using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1008 on a connection the method opened with no transaction: making the setting transaction-local alone would
    /// end it with its own command (the work after it would see no tenant), so this fix also runs the setting and the
    /// connection's work in one transaction.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LocalSettingInTransactionCodeFix)), Shared]
    public sealed class LocalSettingInTransactionCodeFix : SyntaxCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1008_SessionTenantSetting.Id);

        protected override string Title => "Make the tenant setting transaction-local and run it with the work in one transaction";

        /// <summary>The literal that holds the setting: the transaction begins before its statement (the call, or the command's declaration).</summary>
        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            root.FindToken(span.Start).Parent;

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(FixProperties.LocalFix, out var mode) || mode != "wrap"
                || !TransactionScaffold.TryLocate(diagnostic, target, out var connection, out var isDbContext, out var statement, out var block))
            {
                return null;
            }

            // The literal that holds the setting, and its text made local.
            var span = diagnostic.Location.SourceSpan;
            var token = root.FindToken(span.Start);
            if (!(token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken)) || !token.Span.Contains(span)
                || TransactionLocalSettingCodeFix.MakeLocal(root.GetText().ToString(span)) is not { } local)
            {
                return null;
            }

            var offset = span.Start - token.SpanStart;
            var newText = token.Text.Substring(0, offset) + local + token.Text.Substring(offset + span.Length);
            var occurrence = block.DescendantTokens().Where(t => t.RawKind == token.RawKind && t.Text == token.Text).ToList().IndexOf(token);

            var wrapped = TransactionScaffold.Wrap(block, statement, connection, isDbContext, semanticModel, _ => Enumerable.Empty<string>(), cancellationToken);
            if (wrapped is null || occurrence < 0)
            {
                return null;
            }

            var same = wrapped.DescendantTokens().Where(t => t.RawKind == token.RawKind && t.Text == token.Text).ToList();
            if (occurrence >= same.Count)
            {
                return null;
            }

            var original = same[occurrence];
            var replacement = token.IsKind(SyntaxKind.StringLiteralToken)
                ? SyntaxFactory.ParseToken(newText)
                : SyntaxFactory.Token(original.LeadingTrivia, SyntaxKind.InterpolatedStringTextToken, newText, newText, original.TrailingTrivia);
            return root.ReplaceNode(block, wrapped.ReplaceToken(original, replacement.WithTriviaFrom(original)));
        }
    }
}
