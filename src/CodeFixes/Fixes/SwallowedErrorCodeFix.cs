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
    /// <summary>
    /// TG1003, three ways, each titled by what it does: rethrow (the default, what batch tools apply); with an
    /// <c>ILogger</c> in scope, log and rethrow; and log and keep the handler's result, so that a <c>TryDeleteAsync</c>
    /// that answers <c>false</c> keeps its promise and the failure is no longer silent.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwallowedErrorCodeFix)), Shared]
    public sealed class SwallowedErrorCodeFix : SyntaxCodeFix
    {
        public const string Rethrow = "TG1003.Rethrow";
        public const string LogAndRethrow = "TG1003.LogAndRethrow";
        public const string LogAndKeepResult = "TG1003.LogAndKeepResult";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1003_SwallowedDatabaseError.Id);

        protected override string Title => "Rethrow the database error (the callers see it fail)";

        protected override ImmutableArray<string> Variants { get; } = ImmutableArray.Create(Rethrow, LogAndRethrow, LogAndKeepResult);

        protected override string TitleFor(Diagnostic diagnostic, string variant) => variant switch
        {
            LogAndRethrow => "Log the database error and rethrow it",
            LogAndKeepResult => "Log the database error and keep the handler's result",
            _ => Title,
        };

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            CatchClauseAt(root, span);

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken) =>
            Fix(root, target, semanticModel, diagnostic, Rethrow, cancellationToken);

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken) => variant switch
        {
            LogAndRethrow => FixLogAndRethrow(root, target, semanticModel),
            LogAndKeepResult => FixLogAndKeepResult(root, target, semanticModel),
            _ => FixRethrow(root, target),
        };

        /// <summary><c>throw;</c> at the end of the catch (a trailing return, continue or break gives way to it).</summary>
        private static SyntaxNode? FixRethrow(SyntaxNode root, SyntaxNode target)
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

        private static SyntaxNode? FixLogAndRethrow(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel)
{
            var clause = (CatchClauseSyntax)target;
            if (CatchHandler.FindLogger(semanticModel, clause) is not { } logger)
            {
                return null;
            }

            var named = CatchHandler.WithExceptionName(semanticModel, clause, out var exception);
            var statements = named.Block.Statements;
            if (statements.Count > 0 && statements[statements.Count - 1] is ReturnStatementSyntax or ContinueStatementSyntax or BreakStatementSyntax)
            {
                statements = statements.RemoveAt(statements.Count - 1);
            }

            var like = clause.Block.Statements.Count > 0 ? clause.Block.Statements[0] : null;
            var log = like is null ? SyntaxFactory.ParseStatement(CatchHandler.LogStatement(clause, logger, exception)) : SyntaxHelpers.Statement(CatchHandler.LogStatement(clause, logger, exception), like);
            var rethrow = like is null ? SyntaxFactory.ParseStatement("throw;") : SyntaxHelpers.Statement("throw;", like);
            var block = named.Block.WithStatements(statements.Add(log).Add(rethrow));
            return CatchHandler.WithLoggingUsing(root.ReplaceNode(clause, named.WithBlock(like is null ? block.NormalizeWhitespace() : block)), semanticModel, clause, logger);
        }

        private static SyntaxNode? FixLogAndKeepResult(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel)
{
            var clause = (CatchClauseSyntax)target;
            var statements = clause.Block.Statements;
            if (statements.Count == 0 || CatchHandler.FindLogger(semanticModel, clause) is not { } logger)
            {
                return null; // an empty handler has no result to keep: rethrow instead
            }

            var named = CatchHandler.WithExceptionName(semanticModel, clause, out var exception);
            var log = SyntaxHelpers.Statement(CatchHandler.LogStatement(clause, logger, exception), statements[0]);
            var fixedRoot = root.ReplaceNode(clause, named.WithBlock(named.Block.WithStatements(SyntaxHelpers.InsertBefore(named.Block.Statements, 0, new[] { log }))));
            return CatchHandler.WithLoggingUsing(fixedRoot, semanticModel, clause, logger);
        }
    }
}
