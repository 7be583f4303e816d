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
    /// <summary>
    /// TG1003 where the handler answers for the failure (<c>catch { return false; }</c> in a <c>TryDeleteAsync</c>): log
    /// the exception with the <c>ILogger</c> in scope first, and keep what the handler does, so the method keeps its promise.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LogAndKeepResultCodeFix)), Shared]
    public sealed class LogAndKeepResultCodeFix : SyntaxCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1003_SwallowedDatabaseError.Id);

        protected override string Title => "Log the database error and keep the handler's result";

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            CatchClauseAt(root, span);

        protected override SyntaxNode? Fix(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, CancellationToken cancellationToken)
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
