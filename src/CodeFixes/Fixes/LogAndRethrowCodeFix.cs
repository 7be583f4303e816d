using System.Collections.Immutable;
using System.Composition;
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
    /// <summary>TG1003: log the exception with the <c>ILogger</c> in scope, then rethrow (a trailing return gives way to it).</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LogAndRethrowCodeFix)), Shared]
    public sealed class LogAndRethrowCodeFix : SyntaxCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1003_SwallowedDatabaseError.Id);

        protected override string Title => "Log the database error and rethrow it";

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            CatchClauseAt(root, span);

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
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
    }
}
