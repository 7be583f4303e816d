using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Model;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1001, where TenantGuard.Rls is referenced: run the query inside <c>TenantDatabase.WithTenantAsync</c>, which
    /// opens the connection and transaction and applies the tenant before handing them over:
    /// <c>await conn.QueryAsync(sql)</c> becomes
    /// <c>await tenants.WithTenantAsync(new TenantContext(tenantId), (tenantConn, tenantTx, ct) => tenantConn.QueryAsync(sql, transaction: tenantTx))</c>.
    /// Offered for awaited Dapper calls when a TenantDatabase and a tenant value are in scope; the connection's own
    /// declaration goes when nothing else uses it.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseTenantWrapperCodeFix)), Shared]
    public sealed class UseTenantWrapperCodeFix : SyntaxCodeFix
    {
        private const string WrapperType = "TenantGuard.Rls.TenantDatabase";

        public const string EquivalenceKey = nameof(UseTenantWrapperCodeFix);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1001_MissingTenantContext.Id);

        protected override string Title => "Run it in TenantDatabase.WithTenantAsync";

        protected override ImmutableArray<string> Variants { get; } = ImmutableArray.Create(EquivalenceKey);

        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            ExecutionCallAt(root, span);

        protected override Func<CancellationToken, SyntaxNode>? Prepare(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken)
        {
            var wrapperType = semanticModel.Compilation.GetBestTypeByMetadataName(WrapperType);
            if (wrapperType is null
                || target is not InvocationExpressionSyntax { Parent: AwaitExpressionSyntax awaited } invocation
                || invocation.Expression is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } access
                || !TransactionScaffold.TryLocate(diagnostic, target, out var connection, out _, out var statement, out var block)
                || receiver.Identifier.ValueText != connection
                || semanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
                || operation.TargetMethod.ContainingType?.Name != "SqlMapper"
                || operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "transaction") is not { ArgumentKind: ArgumentKind.DefaultValue })
            {
                return null;
            }

            var wrapper = semanticModel.LookupSymbols(statement.SpanStart).FirstOrDefault(s => SymbolEqualityComparer.Default.Equals(TypeOf(s), wrapperType));
            var tenant = ApplyTenantSettingCodeFix.FindTenantValue(semanticModel, statement.SpanStart);
            if (wrapper is null || tenant is null)
            {
                return null;
            }

            return _ => Write(root, semanticModel, invocation, access, awaited, statement, block, connection, wrapper, tenant);
        }

        private static SyntaxNode Write(SyntaxNode root, SemanticModel semanticModel, InvocationExpressionSyntax invocation, MemberAccessExpressionSyntax access, AwaitExpressionSyntax awaited, StatementSyntax statement, BlockSyntax block, string connection, ISymbol wrapper, string tenant)
        {
            var conn = SyntaxHelpers.UniqueName(semanticModel, statement.SpanStart, "tenantConn");
            var tx = SyntaxHelpers.UniqueName(semanticModel, statement.SpanStart, "tenantTx");
            var call = invocation
                .WithExpression(access.WithExpression(SyntaxFactory.IdentifierName(conn)))
                .WithArgumentList(invocation.ArgumentList.AddArguments(
                    SyntaxHelpers.NamedArgument("transaction", SyntaxFactory.IdentifierName(tx)).WithLeadingTrivia(SyntaxFactory.Space)));
            var wrapped = SyntaxFactory.ParseExpression(
                $"{wrapper.Name}.WithTenantAsync(new TenantContext({tenant}), ({conn}, {tx}, ct) => {call.WithoutTrivia().ToFullString()})");
            var newBlock = block.ReplaceNode(awaited, awaited.WithExpression(wrapped.WithTriviaFrom(invocation)));

            // The connection's own declaration goes when nothing else in the block uses it.
            var declaration = newBlock.Statements.OfType<LocalDeclarationStatementSyntax>()
                .FirstOrDefault(d => d.Declaration.Variables.Count == 1 && d.Declaration.Variables[0].Identifier.ValueText == connection);
            if (declaration is not null && !newBlock.Statements.Where(s => s != declaration).Any(s => SyntaxHelpers.Mentions(s, connection)))
            {
                newBlock = newBlock.RemoveNode(declaration, SyntaxRemoveOptions.KeepNoTrivia)!;
            }

            var newRoot = root.ReplaceNode(block, newBlock);
            if (newRoot is CompilationUnitSyntax unit && !unit.Usings.Any(u => u.Name?.ToString() == "TenantGuard.Rls"))
            {
                var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName("TenantGuard.Rls"))
                    .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
                    .WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"));
                newRoot = unit.Usings.Count == 0
                    ? unit.WithUsings(SyntaxFactory.SingletonList(directive.WithTrailingTrivia(SyntaxFactory.EndOfLine("\n"), SyntaxFactory.EndOfLine("\n"))))
                    : unit.AddUsings(directive);
            }

            return newRoot;
        }

        private static ITypeSymbol? TypeOf(ISymbol symbol) => SyntaxHelpers.TypeOf(symbol);
    }
}
