using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Registry;

namespace TenantGuard.CodeFixes.Infrastructure
{
    /// <summary>
    /// The diagnostics of one id in a document as it is now. Batch fixers (Fix All, <c>dotnet format</c>) may hand a
    /// fix diagnostics computed before other fixes changed the document; a fix that acted on them could repeat work
    /// another fix did (a second transaction, a second rethrow) or edit the wrong place. Fix All therefore fixes what
    /// TenantGuard reports on the current document, and nothing else.
    /// </summary>
    internal static class FreshDiagnostics
    {
        private static readonly ConcurrentDictionary<string, ImmutableArray<DiagnosticAnalyzer>> AnalyzersById = new();

        public static async Task<ImmutableArray<Diagnostic>> GetAsync(Document document, System.Collections.Generic.IEnumerable<string> ids, CancellationToken cancellationToken)
        {
            var wanted = ids.ToImmutableHashSet();
            var analyzers = wanted.SelectMany(id => AnalyzersById.GetOrAdd(id, Create)).Distinct().ToImmutableArray();
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
            if (analyzers.IsEmpty || tree is null || compilation is null)
            {
                return ImmutableArray<Diagnostic>.Empty;
            }

            var model = compilation.GetSemanticModel(tree);
            var withAnalyzers = compilation.WithAnalyzers(analyzers, document.Project.AnalyzerOptions);
            var diagnostics = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, cancellationToken).ConfigureAwait(false);
            return diagnostics.Where(d => wanted.Contains(d.Id) && d.Location.SourceTree == tree).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        }

        private static ImmutableArray<DiagnosticAnalyzer> Create(string id) =>
            TenantGuardRules.CreateAnalyzers().Where(a => a.SupportedDiagnostics.Any(d => d.Id == id)).ToImmutableArray();
    }
}
