using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// <c>-- tenantguard:disable TG2001 [TG2002 ...] reason</c> comments in migrations: at the top of a file (before its
    /// first statement) they turn the rules off for the file; on the lines of a statement, or on the comment lines right
    /// above it, for that statement. In C# the same text works inside the SQL string, or as a <c>//</c> comment above it.
    /// </summary>
    internal sealed class SqlSuppressions
    {
        private static readonly Regex Directive = new(@"tenantguard:disable\s+((?:TG\d{4}[\s,]*)+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex Id = new(@"TG\d{4}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private readonly ImmutableArray<AdditionalText> _files;
        private readonly ConcurrentDictionary<string, SourceText?> _texts = new(StringComparer.Ordinal);

        public SqlSuppressions(ImmutableArray<AdditionalText> files)
        {
            _files = files;
        }

        /// <summary>Whether a comment turns rule <paramref name="id"/> off for the statement at <paramref name="location"/>.</summary>
        public bool IsSuppressed(string id, Location? location)
        {
            if (location is null || location == Location.None || TextOf(location) is not { } text)
            {
                return false;
            }

            // The file's header: the comment lines before anything else.
            foreach (var line in text.Lines)
            {
                var content = line.ToString().Trim();
                if (content.Length == 0)
                {
                    continue;
                }

                if (!IsComment(content))
                {
                    break;
                }

                if (Names(content, id))
                {
                    return true;
                }
            }

            // The statement's own lines, and the comment lines right above it.
            var span = location.SourceSpan;
            var first = text.Lines.GetLineFromPosition(Math.Min(span.Start, text.Length)).LineNumber;
            var last = text.Lines.GetLineFromPosition(Math.Min(span.End, text.Length)).LineNumber;
            for (var i = first; i <= last; i++)
            {
                if (Names(text.Lines[i].ToString(), id))
                {
                    return true;
                }
            }

            for (var i = first - 1; i >= 0; i--)
            {
                var content = text.Lines[i].ToString().Trim();
                if (!IsComment(content))
                {
                    break;
                }

                if (Names(content, id))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsComment(string line) => line.StartsWith("--", StringComparison.Ordinal) || line.StartsWith("//", StringComparison.Ordinal);

        private static bool Names(string text, string id)
        {
            if (text.IndexOf("tenantguard:disable", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return false;
            }

            foreach (Match match in Directive.Matches(text))
            {
                foreach (Match named in Id.Matches(match.Groups[1].Value))
                {
                    if (string.Equals(named.Value, id, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private SourceText? TextOf(Location location)
        {
            if (location.SourceTree is { } tree)
            {
                return tree.GetText(CancellationToken.None);
            }

            var path = location.GetLineSpan().Path;
            return _texts.GetOrAdd(path, p =>
            {
                foreach (var file in _files)
                {
                    if (string.Equals(file.Path, p, StringComparison.Ordinal))
                    {
                        return file.GetText(CancellationToken.None);
                    }
                }

                return null;
            });
        }
    }
}
