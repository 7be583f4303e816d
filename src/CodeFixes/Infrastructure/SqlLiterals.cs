using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace TenantGuard.CodeFixes.Infrastructure
{
    internal static class SqlLiterals
    {
        /// <summary>Whether the span lies in the text of one string literal (or in the text and holes of one interpolated string).</summary>
        public static bool IsInsideSqlText(SyntaxNode root, TextSpan span)
        {
            var token = root.FindToken(span.Start);
            switch (token.Kind())
            {
                case SyntaxKind.StringLiteralToken:
                case SyntaxKind.SingleLineRawStringLiteralToken:
                case SyntaxKind.MultiLineRawStringLiteralToken:
                    return token.Span.Contains(span);
                case SyntaxKind.InterpolatedStringTextToken:
                    for (var node = token.Parent; node is not null; node = node.Parent)
                    {
                        if (node.IsKind(SyntaxKind.InterpolatedStringExpression))
                        {
                            return node.Span.Contains(span);
                        }
                    }

                    return false;
                default:
                    return false;
            }
        }
    }
}
