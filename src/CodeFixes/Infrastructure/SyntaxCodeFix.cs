using System;
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
    /// A fix that rewrites syntax around one node (a catch clause, an execution call). A fix is decided when the IDE asks
    /// for the fixes at an occurrence (<see cref="Prepare"/>: whether it can be made there, and how) and written only when
    /// it is applied. Fix All applies the fixes of a document one after another, each on the diagnostics TenantGuard
    /// reports on the document as it is then, so no edit invalidates another and no fix repeats what an earlier one did.
    /// </summary>
    public abstract class SyntaxCodeFix : CodeFixProvider
    {
        protected abstract string Title { get; }

        /// <summary>
        /// The fixes this provider offers, each by its equivalence key (a public constant of the provider), in the order
        /// they are listed: the first is the one batch tools (<c>dotnet format</c>) apply.
        /// </summary>
        protected abstract ImmutableArray<string> Variants { get; }

        /// <summary>The title of a variant for one diagnostic (what exactly it will do there).</summary>
        protected virtual string TitleFor(Diagnostic diagnostic, string variant, SyntaxNode target, SemanticModel semanticModel) => Title;

        /// <summary>
        /// The fix a variant stands for at an occurrence, or null when the variant is not offered there. Variants that
        /// stand for the same fix (a default that is one of the others here) are offered once. By default each variant is
        /// its own fix.
        /// </summary>
        protected virtual string? Resolve(Diagnostic diagnostic, string variant, SyntaxNode target, SemanticModel semanticModel) => variant;

        /// <summary>
        /// A variant's fix at one occurrence, decided but not written: null when this occurrence cannot be fixed that way;
        /// otherwise what writes the new root when the fix is applied.
        /// </summary>
        protected abstract Func<CancellationToken, SyntaxNode>? Prepare(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken);

        public sealed override FixAllProvider GetFixAllProvider() => new SequentialFixAll(this);

        public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null)
            {
                return;
            }

            var document = context.Document;
            foreach (var diagnostic in context.Diagnostics)
            {
                var target = FindTarget(root, diagnostic.Location.SourceSpan);
                if (target is null)
                {
                    continue;
                }

                var offered = new HashSet<string>(StringComparer.Ordinal);
                foreach (var variant in Variants)
                {
                    var fix = Resolve(diagnostic, variant, target, semanticModel);
                    if (fix is null || offered.Contains(fix))
                    {
                        continue; // not offered here, or the same fix as one already offered
                    }

                    var write = Prepare(root, target, semanticModel, diagnostic, variant, context.CancellationToken);
                    if (write is null)
                    {
                        continue; // not possible here
                    }

                    offered.Add(fix);
                    context.RegisterCodeFix(
                        CodeAction.Create(TitleFor(diagnostic, variant, target, semanticModel), cancellationToken => Task.FromResult(document.WithSyntaxRoot(write(cancellationToken))), equivalenceKey: variant),
                        diagnostic);
                }
            }
        }

        /// <summary>The node the fix works on, from the diagnostic's span.</summary>
        protected abstract SyntaxNode? FindTarget(SyntaxNode root, TextSpan span);

        /// <summary>The execution call a diagnostic is reported on (TG1001, TG1007).</summary>
        protected static SyntaxNode? ExecutionCallAt(SyntaxNode root, TextSpan span) =>
            root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>();

        /// <summary>The catch clause a diagnostic is reported on (TG1003, TG1004).</summary>
        protected static SyntaxNode? CatchClauseAt(SyntaxNode root, TextSpan span) =>
            root.FindToken(span.Start).Parent?.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.CatchClauseSyntax>();

        private sealed class SequentialFixAll : DocumentBasedFixAllProvider
        {
            private readonly SyntaxCodeFix _fix;

            public SequentialFixAll(SyntaxCodeFix fix) => _fix = fix;

            protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
            {
                var cancellationToken = fixAllContext.CancellationToken;
                if (diagnostics.IsEmpty)
                {
                    return document;
                }

                var ids = diagnostics.Select(d => d.Id).Distinct().ToImmutableArray();
                var variant = _fix.Variants.Contains(fixAllContext.CodeActionEquivalenceKey ?? string.Empty) ? fixAllContext.CodeActionEquivalenceKey! : _fix.Variants[0];

                // One fix at a time, in source order, each on what TenantGuard reports on the document as it is then: a
                // fix that opens a transaction covers the later sites, which then need nothing more.
                var attempted = new HashSet<string>();
                for (var round = 0; round < MaxRounds; round++)
                {
                    var fresh = await FreshDiagnostics.GetAsync(document, ids, cancellationToken).ConfigureAwait(false);
                    var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
                    var next = fresh.FirstOrDefault(d => !attempted.Contains(Key(d, root)));
                    if (next is null)
                    {
                        break;
                    }

                    attempted.Add(Key(next, root));
                    var semanticModel = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
                    var target = _fix.FindTarget(root, next.Location.SourceSpan);
                    var write = target is null ? null : _fix.Prepare(root, target, semanticModel, next, variant, cancellationToken);
                    if (write is not null)
                    {
                        document = document.WithSyntaxRoot(write(cancellationToken));
                    }
                }

                return document;
            }

            private const int MaxRounds = 256;

            /// <summary>A diagnostic's identity across edits: its id, message and the text it points at.</summary>
            private static string Key(Diagnostic diagnostic, SyntaxNode root) =>
                diagnostic.Id + "|" + diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture) + "|" + root.GetText().ToString(diagnostic.Location.SourceSpan);
        }
    }
}
