using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>TG1003: rethrow at the end of the catch (a trailing return, continue or break gives way to it).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RethrowCodeFix)), Shared]
    public sealed class RethrowCodeFix : SyntaxCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1003_SwallowedDatabaseError.Id);

        protected override string Title => "Rethrow the database error (the callers see it fail)";

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            CatchClauseAt(root, span);

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            var clause = (CatchClauseSyntax)target;
            var block = clause.Block;
            var statements = block.Statements;
            var rethrow = SyntaxFactory.ThrowStatement();
            if (statements.Count > 0 && statements.Last() is ReturnStatementSyntax or ContinueStatementSyntax or BreakStatementSyntax)
            {
                var last = statements.Last();
                statements = statements.Replace(last, rethrow.WithTriviaFrom(last));
            }
            else if (statements.Count > 0)
            {
                statements = statements.Add(SyntaxHelpers.Statement("throw;", statements.Last()));
            }
            else
            {
                var newBlock = block.WithStatements(SyntaxFactory.SingletonList<StatementSyntax>(rethrow.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)))
                    .WithOpenBraceToken(block.OpenBraceToken.WithTrailingTrivia())
                    .WithCloseBraceToken(block.CloseBraceToken.WithLeadingTrivia());
                return root.ReplaceNode(block, newBlock);
            }

            return root.ReplaceNode(block, block.WithStatements(statements));
        }
    }
}
