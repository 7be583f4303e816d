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
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1007_LocalSettingWithoutTransaction.Id);

        protected override string Title => "Run the setting and the work in one transaction";

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            ExecutionCallAt(root, span);

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
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

                var passed = TransactionScaffold.PassTransaction(statement, connection, open, semanticModel, cancellationToken);
                return passed == statement ? null : root.ReplaceNode(statement, passed);
            }

            var wrapped = TransactionScaffold.Wrap(block, statement, connection, isDbContext, semanticModel, _ => Enumerable.Empty<string>(), cancellationToken);
            return wrapped is null ? null : root.ReplaceNode(block, wrapped);
        }
    }
}
