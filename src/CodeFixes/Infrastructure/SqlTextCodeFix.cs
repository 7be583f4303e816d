using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace TenantGuard.CodeFixes.Infrastructure
{
    /// <summary>
    /// A fix that rewrites text inside a SQL string literal at the diagnostic's span. Fix All applies all the
    /// (non-overlapping) edits of a document at once.
    /// </summary>
    public abstract class SqlTextCodeFix : CodeFixProvider
    {
        protected abstract string Title { get; }

        /// <summary>The fix's equivalence key (a public constant of the provider).</summary>
        protected abstract string Key { get; }

        public sealed override FixAllProvider GetFixAllProvider() => new TextFixAll(this);

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var change = TryGetChange(root, text, diagnostic);
                if (change is { } c)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(Title, _ => Task.FromResult(context.Document.WithText(text.WithChanges(c))), equivalenceKey: Key),
                        diagnostic);
                }
            }
        }

        private TextChange? TryGetChange(SyntaxNode root, SourceText text, Diagnostic diagnostic)
        {
            var span = diagnostic.Location.SourceSpan;
            if (!SqlLiterals.IsInsideSqlText(root, span))
            {
                return null;
            }

            var replacement = Rewrite(text.ToString(span), diagnostic);
            return replacement is null ? null : new TextChange(span, replacement);
        }

        /// <summary>The replacement for the source text at the diagnostic's span, or null when it cannot be rewritten safely.</summary>
        protected abstract string? Rewrite(string sourceText, Diagnostic diagnostic);

        private sealed class TextFixAll : DocumentBasedFixAllProvider
        {
            private readonly SqlTextCodeFix _fix;

            public TextFixAll(SqlTextCodeFix fix) => _fix = fix;

            protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
            {
                var root = await document.GetSyntaxRootAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
                var text = await document.GetTextAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
                if (root is null || diagnostics.IsEmpty)
                {
                    return document;
                }

                diagnostics = await FreshDiagnostics.GetAsync(document, diagnostics.Select(d => d.Id).Distinct(), fixAllContext.CancellationToken).ConfigureAwait(false);

                var changes = new List<TextChange>();
                foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
                {
                    var change = _fix.TryGetChange(root, text, diagnostic);
                    if (change is { } c && (changes.Count == 0 || changes[changes.Count - 1].Span.End <= c.Span.Start))
                    {
                        changes.Add(c);
                    }
                }

                return document.WithText(text.WithChanges(changes));
            }
        }
    }
}
