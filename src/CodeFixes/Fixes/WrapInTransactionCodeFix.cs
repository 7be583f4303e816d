using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1007: begin a transaction before the setting, pass it on, and commit after the connection's last use (or that
    /// of a command made from it); where the document already has a transaction open on the connection, pass that one.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInTransactionCodeFix)), Shared]
    public sealed class WrapInTransactionCodeFix : SyntaxCodeFix
    {
        public const string EquivalenceKey = nameof(WrapInTransactionCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1007_LocalSettingWithoutTransaction.Id);

        protected override string Title => "Run the setting and the work in one transaction";

        protected override ImmutableArray<string> Variants { get; } = ImmutableArray.Create(EquivalenceKey);

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            ExecutionCallAt(root, span);

        protected override Func<CancellationToken, SyntaxNode>? Prepare(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken)
        {
            if (!TransactionScaffold.TryLocate(diagnostic, target, out var connection, out var isDbContext, out var statement, out var block))
            {
                return null;
            }

            // A transaction the document has already begun on the connection (another fix's, say): use it.
            if (TransactionScaffold.OpenTransaction(statement, connection) is { } open)
            {
                if (isDbContext)
                {
                    return null; // EF Core commands enlist in the context's transaction by themselves
                }

                var calls = TransactionScaffold.CallsWithoutTransaction(statement, connection, semanticModel, cancellationToken);
                return calls.Count == 0 ? null : _ => root.ReplaceNode(statement, TransactionScaffold.PassTransaction(statement, calls, open));
            }

            var wrap = TransactionScaffold.Wrap(block, statement, connection, isDbContext, semanticModel, _ => Enumerable.Empty<string>());
            return wrap is null ? null : token => root.ReplaceNode(block, wrap(token));
        }
    }
}
