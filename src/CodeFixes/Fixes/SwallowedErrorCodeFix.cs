using System;
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
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1003, three ways, each titled by what it does: rethrow; with an <c>ILogger</c> in scope, log and rethrow; and
    /// log and keep the handler's result, so that a <c>TryDeleteAsync</c> that answers <c>false</c> keeps its promise
    /// and the failure is no longer silent. The first fix listed, which batch tools (Fix All, <c>dotnet format</c>)
    /// apply, changes the least: log and keep the result where a logger is in scope, rethrow where none is.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwallowedErrorCodeFix)), Shared]
    public sealed class SwallowedErrorCodeFix : SyntaxCodeFix
    {
        public const string Default = "TG1003.Default";
        public const string Rethrow = "TG1003.Rethrow";
        public const string LogAndRethrow = "TG1003.LogAndRethrow";
        public const string LogAndKeepResult = "TG1003.LogAndKeepResult";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1003_SwallowedDatabaseError.Id);

        protected override string Title => "Rethrow the database error (the callers see it fail)";

        protected override ImmutableArray<string> Variants { get; } = ImmutableArray.Create(Default, Rethrow, LogAndRethrow, LogAndKeepResult);

        protected override string TitleFor(Diagnostic diagnostic, string variant, SyntaxNode target, SemanticModel semanticModel) => Resolve(diagnostic, variant, target, semanticModel) switch
        {
            LogAndRethrow => "Log the database error and rethrow it",
            LogAndKeepResult => "Log the database error and keep the handler's result",
            _ => Title,
        };

        /// <summary>
        /// The variant the default stands for at a catch: log and keep the result with a logger in scope, else rethrow.
        /// Around a tenant setting (the diagnostic names it) keeping the result would keep running without the tenant:
        /// there the default logs and rethrows, or rethrows, and "keep the result" is not offered. Without a logger in
        /// scope neither logging variant is.
        /// </summary>
        protected override string? Resolve(Diagnostic diagnostic, string variant, SyntaxNode target, SemanticModel semanticModel)
        {
            var aroundSetting = diagnostic.Properties.ContainsKey(FixProperties.Setting);
            var hasLogger = CatchHandler.FindLogger(semanticModel, (CatchClauseSyntax)target) is not null;
            return variant switch
            {
                Default when aroundSetting => hasLogger ? LogAndRethrow : Rethrow,
                Default => hasLogger ? LogAndKeepResult : Rethrow,
                LogAndKeepResult when aroundSetting => null,
                LogAndRethrow or LogAndKeepResult when !hasLogger => null,
                _ => variant,
            };
        }

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            CatchClauseAt(root, span);

        protected override Func<CancellationToken, SyntaxNode>? Prepare(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken)
        {
            var clause = (CatchClauseSyntax)target;
            return Resolve(diagnostic, variant, target, semanticModel) switch
            {
                null => null,
                LogAndRethrow => _ => FixLogAndRethrow(root, clause, semanticModel, CatchHandler.FindLogger(semanticModel, clause)!),
                LogAndKeepResult => _ => FixLogAndKeepResult(root, clause, semanticModel, CatchHandler.FindLogger(semanticModel, clause)!),
                _ => _ => FixRethrow(root, clause),
            };
        }

        /// <summary><c>throw;</c> at the end of the catch (a trailing return, continue or break gives way to it).</summary>
        private static SyntaxNode FixRethrow(SyntaxNode root, CatchClauseSyntax clause)
        {
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

        private static SyntaxNode FixLogAndRethrow(SyntaxNode root, CatchClauseSyntax clause, SemanticModel semanticModel, string logger)
        {
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
            var filled = like is null ? SyntaxHelpers.Fill(named.Block, clause, new[] { CatchHandler.LogStatement(clause, logger, exception), "throw;" }) : block;
            return CatchHandler.WithLoggingUsing(root.ReplaceNode(clause, named.WithBlock(filled)), semanticModel, clause, logger);
        }

        private static SyntaxNode FixLogAndKeepResult(SyntaxNode root, CatchClauseSyntax clause, SemanticModel semanticModel, string logger)
        {
            var statements = clause.Block.Statements;
            var named = CatchHandler.WithExceptionName(semanticModel, clause, out var exception);
            var logText = CatchHandler.LogStatement(clause, logger, exception);
            var block = statements.Count == 0
                ? SyntaxHelpers.Fill(named.Block, clause, new[] { logText })
                : named.Block.WithStatements(SyntaxHelpers.InsertBefore(named.Block.Statements, 0, new[] { SyntaxHelpers.Statement(logText, statements[0]) }));
            var fixedRoot = root.ReplaceNode(clause, named.WithBlock(block));
            return CatchHandler.WithLoggingUsing(fixedRoot, semanticModel, clause, logger);
        }
    }
}
