using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>A schema rule's findings for one compilation, by the file they lie in.</summary>
    internal sealed class Findings
    {
        private static readonly IReadOnlyList<Diagnostic> None = Array.Empty<Diagnostic>();
        private readonly Dictionary<string, List<Diagnostic>> _byFile = new(StringComparer.Ordinal);

        public void Add(Diagnostic diagnostic)
        {
            var path = diagnostic.Location == Location.None ? string.Empty : diagnostic.Location.GetLineSpan().Path ?? string.Empty;
            if (!_byFile.TryGetValue(path, out var list))
            {
                _byFile[path] = list = new List<Diagnostic>();
            }

            list.Add(diagnostic);
        }

        public IReadOnlyList<Diagnostic> In(string path) => path.Length > 0 && _byFile.TryGetValue(path, out var list) ? list : None;

        /// <summary>Findings with no place in a file.</summary>
        public IReadOnlyList<Diagnostic> Unplaced => _byFile.TryGetValue(string.Empty, out var list) ? list : None;
    }
}
