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
using TenantGuard.Analyzers.Sql;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1008: <c>set_config(.., false)</c> becomes <c>set_config(.., true)</c>; <c>SET [SESSION]</c> becomes <c>SET LOCAL</c>,
    /// where that keeps the code working: a transaction is open at the setting, or the work follows in the same command
    /// text. On a connection the method opened with no transaction, the fix also runs the setting and the connection's
    /// work in one transaction (the setting alone would end with its own command). Elsewhere (a connection received with
    /// no transaction) no fix is offered.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TransactionLocalSettingCodeFix)), Shared]
    public sealed class TransactionLocalSettingCodeFix : SyntaxCodeFix
    {
        public const string EquivalenceKey = nameof(TransactionLocalSettingCodeFix);

        protected override string Title => "Make the tenant setting transaction-local";

        protected override ImmutableArray<string> Variants { get; } = ImmutableArray.Create(EquivalenceKey);

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1008_SessionTenantSetting.Id);

        protected override string TitleFor(Diagnostic diagnostic, string variant, SyntaxNode target, SemanticModel semanticModel) =>
            Mode(diagnostic) == "wrap" ? "Make the tenant setting transaction-local and run it with the work in one transaction" : Title;

        /// <summary>The literal that holds the setting: a transaction begins before its statement (the call, or the command's declaration).</summary>
        protected override SyntaxNode? FindTarget(SyntaxNode root, TextSpan span) =>
            root.FindToken(span.Start).Parent;

        protected override Func<CancellationToken, SyntaxNode>? Prepare(SyntaxNode root, SyntaxNode target, SemanticModel semanticModel, Diagnostic diagnostic, string variant, CancellationToken cancellationToken)
        {
            var mode = Mode(diagnostic);
            var span = diagnostic.Location.SourceSpan;
            var token = root.FindToken(span.Start);
            if (mode is not ("local" or "wrap")
                || !(token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken)) || !token.Span.Contains(span)
                || MakeLocal(root.GetText().ToString(span)) is not { } local)
            {
                return null;
            }

            var offset = span.Start - token.SpanStart;
            var newText = token.Text.Substring(0, offset) + local + token.Text.Substring(offset + span.Length);
            if (mode == "local")
            {
                return _ => root.ReplaceToken(token, Rewritten(token, newText));
            }

            if (!TransactionScaffold.TryLocate(diagnostic, target, out var connection, out var isDbContext, out var statement, out var block))
            {
                return null;
            }

            // Wrap first (the semantic model knows the original nodes), then find the literal again by its text: the
            // wrapped block keeps every token of the block (were the literal ever not found there, nothing is written).
            var occurrence = block.DescendantTokens().Where(t => t.RawKind == token.RawKind && t.Text == token.Text).ToList().IndexOf(token);
            var wrap = TransactionScaffold.Wrap(block, statement, connection, isDbContext, semanticModel, _ => Enumerable.Empty<string>());
            if (wrap is null || occurrence < 0)
            {
                return null;
            }

            return writeToken =>
            {
                var wrapped = wrap(writeToken);
                var same = wrapped.DescendantTokens().Where(t => t.RawKind == token.RawKind && t.Text == token.Text).ToList();
                return occurrence < same.Count ? root.ReplaceNode(block, wrapped.ReplaceToken(same[occurrence], Rewritten(same[occurrence], newText))) : root;
            };
        }

        private static string? Mode(Diagnostic diagnostic) =>
            diagnostic.Properties.TryGetValue(FixProperties.LocalFix, out var mode) ? mode : null;

        private static SyntaxToken Rewritten(SyntaxToken token, string newText) =>
            (token.IsKind(SyntaxKind.StringLiteralToken)
                ? SyntaxFactory.ParseToken(newText)
                : SyntaxFactory.Token(default, SyntaxKind.InterpolatedStringTextToken, newText, newText, default))
            .WithTriviaFrom(token);

        /// <summary>The setting's text made transaction-local, or null when it cannot be rewritten safely.</summary>
        internal static string? MakeLocal(string sourceText)
        {
            var tokens = SqlLexer.Tokenize(sourceText);
            var first = -1;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (!tokens[i].IsTrivia)
                {
                    first = i;
                    break;
                }
            }

            if (first < 0 || tokens[first].Kind != SqlTokenKind.Identifier)
            {
                return null;
            }

            var word = tokens[first].GetText(sourceText);
            if (word.Equals("SET", StringComparison.OrdinalIgnoreCase))
            {
                var next = NextSignificant(tokens, first + 1);
                if (next >= 0 && tokens[next].GetText(sourceText).Equals("SESSION", StringComparison.OrdinalIgnoreCase))
                {
                    return sourceText.Substring(0, tokens[next].Start) + Cased("LOCAL", word) + sourceText.Substring(tokens[next].End);
                }

                return sourceText.Substring(0, tokens[first].End) + " " + Cased("LOCAL", word) + sourceText.Substring(tokens[first].End);
            }

            // set_config(name, value, false): replace the third top-level argument.
            var depth = 0;
            var commas = 0;
            var argumentStart = -1;
            for (var i = first; i < tokens.Length; i++)
            {
                switch (tokens[i].Kind)
                {
                    case SqlTokenKind.OpenParen:
                        depth++;
                        break;
                    case SqlTokenKind.CloseParen:
                        depth--;
                        if (depth == 0 && commas == 2 && argumentStart >= 0)
                        {
                            return sourceText.Substring(0, argumentStart) + "true" + sourceText.Substring(tokens[i].Start);
                        }

                        break;
                    case SqlTokenKind.Comma when depth == 1:
                        commas++;
                        if (commas == 2)
                        {
                            var start = NextSignificant(tokens, i + 1);
                            argumentStart = start < 0 ? -1 : tokens[start].Start;
                        }

                        break;
                }
            }

            return null;
        }

        private static string Cased(string keyword, string like) => like.ToUpperInvariant() == like ? keyword : keyword.ToLowerInvariant();

        private static int NextSignificant(ImmutableArray<SqlToken> tokens, int from)
        {
            for (var i = from; i < tokens.Length; i++)
            {
                if (!tokens[i].IsTrivia)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
