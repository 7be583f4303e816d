using System;
using Microsoft.CodeAnalysis.Text;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// Searches a source text for words without making one string of it: a large file's text is held in pieces, and a
    /// string of it would be copied whole (onto the large-object heap) for every file of the project at compilation start.
    /// </summary>
    internal static class SourceTextSearch
    {
        private const int Chunk = 8192;

        [ThreadStatic]
        private static char[]? t_buffer;

        /// <summary>Whether a string contains any of the words, compared as given.</summary>
        public static bool ContainsAny(string text, string[] words, StringComparison comparison)
        {
            foreach (var word in words)
            {
                if (text.IndexOf(word, comparison) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether the text contains any of the words, in any case (ASCII words).</summary>
        public static bool ContainsAny(SourceText text, string[] words)
        {
            var longest = 0;
            foreach (var word in words)
            {
                longest = Math.Max(longest, word.Length);
            }

            // Each chunk starts with the last characters of the one before, so a word across two chunks is found.
            var overlap = longest - 1;
            var buffer = t_buffer ??= new char[Chunk + 64];
            if (overlap > 64)
            {
                throw new ArgumentException("words longer than 65 characters", nameof(words));
            }

            var carried = 0;
            for (var start = 0; start < text.Length;)
            {
                var count = Math.Min(Chunk, text.Length - start);
                text.CopyTo(start, buffer, carried, count);
                var span = new ReadOnlySpan<char>(buffer, 0, carried + count);
                foreach (var word in words)
                {
                    if (span.IndexOf(word.AsSpan(), StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return true;
                    }
                }

                start += count;
                carried = Math.Min(overlap, span.Length);
                span.Slice(span.Length - carried).CopyTo(buffer);
            }

            return false;
        }
    }
}
