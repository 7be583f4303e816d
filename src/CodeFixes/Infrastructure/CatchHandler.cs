using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TenantGuard.CodeFixes.Infrastructure
{
    /// <summary>What the TG1003 fixes need of a catch clause: a logger in scope, and a name for the caught exception.</summary>
    internal static class CatchHandler
    {
        /// <summary>An <c>ILogger</c> (or <c>ILogger&lt;T&gt;</c>) in scope at the catch, by name preference: logger, _logger, log.</summary>
        public static string? FindLogger(SemanticModel model, CatchClauseSyntax clause)
        {
            var candidates = model.LookupSymbols(clause.Block.SpanStart)
                .Select(symbol => (Symbol: symbol, Type: SyntaxHelpers.TypeOf(symbol)))
                .Where(c => c.Type is not null && IsLogger(c.Type))
                .OrderBy(c => c.Symbol.Name switch { "logger" => 0, "_logger" => 1, "log" => 2, _ => 3 })
                .ThenBy(c => c.Symbol.Name, System.StringComparer.Ordinal)
                .ToList();
            return candidates.Count == 0 ? null : candidates[0].Symbol.Name;
        }

        /// <summary>The catch clause with a name for its exception (<c>ex</c> added where it has none), and that name.</summary>
        public static CatchClauseSyntax WithExceptionName(SemanticModel model, CatchClauseSyntax clause, out string name)
        {
            if (clause.Declaration is { Identifier.ValueText: { Length: > 0 } existing })
            {
                name = existing;
                return clause;
            }

            name = SyntaxHelpers.UniqueName(model, clause.Block.SpanStart, "ex");
            var identifier = SyntaxFactory.Identifier(name);
            if (clause.Declaration is { } declaration)
            {
                return clause.WithDeclaration(declaration.WithType(declaration.Type.WithTrailingTrivia(SyntaxFactory.Space)).WithIdentifier(identifier));
            }

            var catchKeyword = clause.CatchKeyword;
            return clause
                .WithCatchKeyword(catchKeyword.WithTrailingTrivia(SyntaxFactory.Space))
                .WithDeclaration(SyntaxFactory.CatchDeclaration(SyntaxFactory.IdentifierName("Exception").WithTrailingTrivia(SyntaxFactory.Space), identifier).WithTrailingTrivia(catchKeyword.TrailingTrivia));
        }

        /// <summary><c>logger.LogError(ex, "{Method} failed", nameof(Method));</c>, or a fixed text outside a named member.</summary>
        public static string LogStatement(CatchClauseSyntax clause, string logger, string exception)
        {
            var member = clause.Ancestors().Select(a => a switch
            {
                MethodDeclarationSyntax method => method.Identifier.ValueText,
                LocalFunctionStatementSyntax local => local.Identifier.ValueText,
                _ => null,
            }).FirstOrDefault(n => n is not null);
            return member is null
                ? $"{logger}.LogError({exception}, \"The database call failed\");"
                : $"{logger}.LogError({exception}, \"{{Method}} failed\", nameof({member}));";
        }

        /// <summary>The file with <c>using Microsoft.Extensions.Logging;</c> added when <c>LogError</c> is not in scope at the catch.</summary>
        public static SyntaxNode WithLoggingUsing(SyntaxNode root, SemanticModel model, CatchClauseSyntax clause, string logger)
        {
            var type = SyntaxHelpers.TypeOf(model.LookupSymbols(clause.Block.SpanStart, name: logger).FirstOrDefault());
            return type is not null && model.LookupSymbols(clause.Block.SpanStart, container: type, name: "LogError", includeReducedExtensionMethods: true).Any()
                ? root
                : SyntaxHelpers.WithUsing(root, "Microsoft.Extensions.Logging");
        }

        private static bool IsLogger(ITypeSymbol type) =>
            IsILogger(type) || type.AllInterfaces.Any(IsILogger);

        private static bool IsILogger(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "ILogger" } named && named.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.Logging";
    }
}
