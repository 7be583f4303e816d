using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TenantGuard.Analyzers.Sql
{
    /// <summary>
    /// Maps each character of a C# string literal's value to the span of source text that wrote it
    /// (<c>\n</c> is two source characters for one of value). Handles regular, verbatim and raw literals and the
    /// text parts of interpolated strings; where the decoded text does not match the compiler's value, every
    /// character maps to the whole token instead, so a location is never wrong, only coarse.
    /// </summary>
    internal static class LiteralMap
    {
        public static void Append(SqlSource.Builder builder, SyntaxToken token, string value)
        {
            var tree = token.SyntaxTree!;
            if (VerbatimStart(token, value) is { } start)
            {
                builder.AppendLinear(value, tree, start);
                return;
            }

            if (!TryDecode(token, value, out var starts, out var ends))
            {
                foreach (var c in value)
                {
                    builder.Append(c, tree, token.Span.Start, token.Span.End);
                }

                return;
            }

            for (var i = 0; i < value.Length; i++)
            {
                builder.Append(value[i], tree, starts[i], ends[i]);
            }
        }

        /// <summary>
        /// Where the value starts in the source when the token writes it character for character (no escape, no doubled
        /// quote or brace, no indentation removed: each of those makes the source longer than the value), or null.
        /// </summary>
        private static int? VerbatimStart(SyntaxToken token, string value)
        {
            var text = token.Text;
            int contentStart, contentEnd;
            switch (token.Kind())
            {
                case SyntaxKind.StringLiteralToken:
                    contentStart = text.StartsWith("@", StringComparison.Ordinal) ? 2 : 1;
                    contentEnd = text.Length - 1;
                    break;
                case SyntaxKind.SingleLineRawStringLiteralToken:
                    contentStart = 0;
                    while (contentStart < text.Length && text[contentStart] == '"')
                    {
                        contentStart++;
                    }

                    contentEnd = text.Length - contentStart;
                    break;
                case SyntaxKind.InterpolatedStringTextToken:
                    contentStart = 0;
                    contentEnd = text.Length;
                    break;
                default:
                    return null;
            }

            return contentEnd - contentStart == value.Length && string.CompareOrdinal(text, contentStart, value, 0, value.Length) == 0
                ? token.Span.Start + contentStart
                : null;
        }

        private static bool TryDecode(SyntaxToken token, string expected, out int[] starts, out int[] ends)
        {
            starts = new int[expected.Length];
            ends = new int[expected.Length];
            var text = token.Text;
            var offset = token.Span.Start;
            var decoded = new System.Text.StringBuilder(expected.Length);

            bool verbatim, raw, interpolated;
            int contentStart, contentEnd;
            switch (token.Kind())
            {
                case SyntaxKind.StringLiteralToken:
                    verbatim = text.StartsWith("@", StringComparison.Ordinal);
                    raw = false;
                    interpolated = false;
                    contentStart = verbatim ? 2 : 1;
                    contentEnd = text.Length - 1;
                    break;
                case SyntaxKind.SingleLineRawStringLiteralToken:
                    {
                        var quotes = 0;
                        while (quotes < text.Length && text[quotes] == '"')
                        {
                            quotes++;
                        }

                        verbatim = false;
                        raw = true;
                        interpolated = false;
                        contentStart = quotes;
                        contentEnd = text.Length - quotes;
                        break;
                    }

                case SyntaxKind.InterpolatedStringTextToken:
                    {
                        var start = (token.Parent?.Parent as InterpolatedStringExpressionSyntax)?.StringStartToken.Text ?? string.Empty;
                        verbatim = start.Contains("@");
                        raw = start.Contains("\"\"\"");
                        if (raw && token.Text.IndexOfAny(new[] { '\r', '\n' }) >= 0)
                        {
                            return false; // indentation of multi-line raw strings: map coarsely
                        }

                        interpolated = true;
                        contentStart = 0;
                        contentEnd = text.Length;
                        break;
                    }

                case SyntaxKind.MultiLineRawStringLiteralToken:
                    return TryDecodeMultiLineRaw(token, expected, starts, ends);
                default:
                    return false;
            }

            for (var i = contentStart; i < contentEnd;)
            {
                var c = text[i];
                var width = 1;
                var value = c.ToString();
                if (raw)
                {
                    // raw strings have no escapes
                }
                else if (verbatim && c == '"' && i + 1 < contentEnd && text[i + 1] == '"')
                {
                    width = 2;
                }
                else if (interpolated && (c == '{' || c == '}') && i + 1 < contentEnd && text[i + 1] == c)
                {
                    width = 2;
                }
                else if (!verbatim && c == '\\' && i + 1 < contentEnd)
                {
                    if (!TryEscape(text, i, contentEnd, out value, out width))
                    {
                        return false;
                    }
                }

                foreach (var ch in value)
                {
                    if (decoded.Length >= expected.Length)
                    {
                        return false;
                    }

                    starts[decoded.Length] = offset + i;
                    ends[decoded.Length] = offset + i + width;
                    decoded.Append(ch);
                }

                i += width;
            }

            return decoded.ToString() == expected;
        }

        private static bool TryEscape(string text, int i, int end, out string value, out int width)
        {
            width = 2;
            value = string.Empty;
            switch (text[i + 1])
            {
                case '\'': value = "'"; return true;
                case '"': value = "\""; return true;
                case '\\': value = "\\"; return true;
                case '0': value = "\0"; return true;
                case 'a': value = "\a"; return true;
                case 'b': value = "\b"; return true;
                case 'e': value = "\u001b"; return true;
                case 'f': value = "\f"; return true;
                case 'n': value = "\n"; return true;
                case 'r': value = "\r"; return true;
                case 't': value = "\t"; return true;
                case 'v': value = "\v"; return true;
                case 'x':
                    {
                        var j = i + 2;
                        while (j < end && j < i + 6 && Uri.IsHexDigit(text[j]))
                        {
                            j++;
                        }

                        if (j == i + 2)
                        {
                            return false;
                        }

                        value = ((char)int.Parse(text.Substring(i + 2, j - i - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString();
                        width = j - i;
                        return true;
                    }

                case 'u':
                    if (i + 6 > end)
                    {
                        return false;
                    }

                    value = ((char)int.Parse(text.Substring(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString();
                    width = 6;
                    return true;
                case 'U':
                    if (i + 10 > end)
                    {
                        return false;
                    }

                    value = char.ConvertFromUtf32(int.Parse(text.Substring(i + 2, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    width = 10;
                    return true;
                default:
                    return false;
            }
        }

        private static bool TryDecodeMultiLineRaw(SyntaxToken token, string expected, int[] starts, int[] ends)
        {
            var text = token.Text;
            var offset = token.Span.Start;
            var quotes = 0;
            while (quotes < text.Length && text[quotes] == '"')
            {
                quotes++;
            }

            // Content starts after the first line break; the last line holds the indentation and the closing quotes.
            var firstBreak = text.IndexOf('\n', quotes);
            var lastBreak = text.LastIndexOf('\n', text.Length - quotes - 1);
            if (firstBreak < 0 || lastBreak <= firstBreak)
            {
                return false;
            }

            var indentation = text.Length - quotes - (lastBreak + 1);
            var contentEnd = lastBreak > 0 && text[lastBreak - 1] == '\r' ? lastBreak - 1 : lastBreak;
            var decoded = new System.Text.StringBuilder();
            var lineStart = firstBreak + 1;
            while (lineStart <= contentEnd)
            {
                var lineEnd = text.IndexOf('\n', lineStart);
                if (lineEnd < 0 || lineEnd > contentEnd)
                {
                    lineEnd = contentEnd;
                }

                var i = lineStart;
                var skipped = 0;
                while (skipped < indentation && i < lineEnd && (text[i] == ' ' || text[i] == '\t'))
                {
                    i++;
                    skipped++;
                }

                var stop = lineEnd == contentEnd ? contentEnd : lineEnd + 1;
                for (; i < stop; i++)
                {
                    if (decoded.Length >= expected.Length)
                    {
                        return false;
                    }

                    starts[decoded.Length] = offset + i;
                    ends[decoded.Length] = offset + i + 1;
                    decoded.Append(text[i]);
                }

                lineStart = lineEnd + 1;
            }

            return decoded.ToString() == expected;
        }
    }
}
