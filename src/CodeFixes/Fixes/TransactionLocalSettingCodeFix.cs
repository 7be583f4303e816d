using System;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using TenantGuard.Analyzers;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Sql;
using TenantGuard.CodeFixes.Infrastructure;

namespace TenantGuard.CodeFixes.Fixes
{
    /// <summary>
    /// TG1008: <c>set_config(.., false)</c> becomes <c>set_config(.., true)</c>; <c>SET [SESSION]</c> becomes <c>SET LOCAL</c>.
    /// Offered only where that keeps the code working: a transaction is open at the setting, or the work follows in the
    /// same command text. Where the connection has no transaction, <see cref="LocalSettingInTransactionCodeFix"/> also
    /// opens one; elsewhere no fix is offered.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TransactionLocalSettingCodeFix)), Shared]
    public sealed class TransactionLocalSettingCodeFix : SqlTextCodeFix
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.TG1008_SessionTenantSetting.Id);

        protected override string Title => "Make the tenant setting transaction-local";

        protected override string? Rewrite(string sourceText, Diagnostic diagnostic) =>
            diagnostic.Properties.TryGetValue(FixProperties.LocalFix, out var mode) && mode == "local" ? MakeLocal(sourceText) : null;

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
