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
    /// <summary>TG1007: begin a transaction before the setting, pass it on, and commit after the connection's last use.</summary>
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

            var plan = TransactionScaffold.Create(semanticModel, statement, connection, isDbContext);
            return plan is null ? null : root.ReplaceNode(block, TransactionScaffold.Apply(block, statement, plan, semanticModel, Enumerable.Empty<string>(), cancellationToken));
        }
    }
}
