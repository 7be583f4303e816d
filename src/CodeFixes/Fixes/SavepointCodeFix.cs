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
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1004: a savepoint around the try: <c>tx.Save(name)</c> before it, <c>tx.Release(name)</c> at the end of the
    /// try block, <c>tx.Rollback(name)</c> first thing in the catch. Offered when the transaction is one DbTransaction
    /// variable and the try statement stands in a block.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SavepointCodeFix)), Shared]
    public sealed class SavepointCodeFix : SyntaxCodeFix
    {
        internal const string SavepointName = "tenantguard_savepoint";

        public const string EquivalenceKey = nameof(SavepointCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1004_AbortedTransactionReused.Id);

        protected override string Title => "Roll back to a savepoint taken before the command";

        protected override ImmutableArray<string> Variants { get; } = ImmutableArray.Create(EquivalenceKey);

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            CatchClauseAt(root, span);

        protected override Func<CancellationToken, SyntaxNode>? Prepare(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken)
        {
            if (!diagnostic.Properties.TryGetValue(FixProperties.Transaction, out var transaction) || transaction is null
                || target is not CatchClauseSyntax { Parent: TryStatementSyntax tryStatement } clause
                || tryStatement.Parent is not BlockSyntax block)
            {
                return null;
            }

            return _ => Write(root, transaction, clause, tryStatement, block);
        }

        private static SyntaxNode Write(SyntaxNode root, string transaction, CatchClauseSyntax clause, TryStatementSyntax tryStatement, BlockSyntax block)
        {
            var async = SyntaxHelpers.IsInAsyncFunction(tryStatement);
            var name = SyntaxHelpers.Literal(SavepointName);
            string Call(string method) => async ? $"await {transaction}.{method}Async({name});" : $"{transaction}.{method}({name});";

            // The catch: roll back to the savepoint first.
            var rollback = Call("Rollback");
            var catchBlock = clause.Block;
            var newCatch = catchBlock.Statements.Count > 0
                ? catchBlock.WithStatements(catchBlock.Statements.Insert(0, SyntaxHelpers.Statement(rollback, catchBlock.Statements[0])))
                : catchBlock.AddStatements(SyntaxHelpers.Statement(rollback, tryStatement));
            var newTry = tryStatement.ReplaceNode(catchBlock, newCatch);

            // Save before the try and release at the end of the try block, once per try statement.
            var statements = block.Statements;
            var index = statements.IndexOf(tryStatement);
            var save = Call("Save");
            var alreadySaved = index > 0 && statements[index - 1].ToString().Trim() == save;
            if (!alreadySaved)
            {
                var body = newTry.Block;
                var release = Call("Release");
                var bodyStatements = body.Statements;
                var releaseStatement = SyntaxHelpers.Statement(release, bodyStatements.Count > 0 ? bodyStatements.Last() : tryStatement);
                if (bodyStatements.Count > 0 && bodyStatements.Last() is ReturnStatementSyntax or ContinueStatementSyntax or BreakStatementSyntax)
                {
                    bodyStatements = bodyStatements.Insert(bodyStatements.Count - 1, releaseStatement);
                }
                else
                {
                    bodyStatements = bodyStatements.Add(releaseStatement);
                }

                newTry = newTry.WithBlock(body.WithStatements(bodyStatements));
            }

            statements = statements.Replace(tryStatement, newTry);
            if (!alreadySaved)
            {
                statements = statements.Insert(index, SyntaxHelpers.Statement(save, tryStatement));
            }

            return root.ReplaceNode(block, block.WithStatements(statements));
        }
    }
}
