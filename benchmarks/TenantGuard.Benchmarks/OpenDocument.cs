using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TenantGuard.Benchmarks;

/// <summary>
/// The IDE case: after an edit to one open document, the analyzers run on that document alone (what the IDE's
/// diagnostic service asks of <see cref="CompilationWithAnalyzers"/> for the open file). Each measurement edits the
/// document (a comment appended), so the compilation, its semantic model and every analyzer's compilation-start work are
/// new, as they are after a keystroke.
/// </summary>
internal static class OpenDocument
{
    /// <summary>Analyzes the largest documents of a project, warm-up first, and prints per document the times of each round.</summary>
    public static void Run(CommandLineCompilation project, ImmutableArray<DiagnosticAnalyzer> analyzers, int documents, int rounds)
    {
        var largest = project.Compilation.SyntaxTrees.OrderByDescending(t => t.Length).Take(documents).ToList();
        var edit = 0;
        Measure(project, analyzers, largest[0], ref edit); // JIT and first-touch warm-up, not reported
        foreach (var tree in largest)
        {
            var own = new List<double>();
            var wall = new List<double>();
            var findings = string.Empty;
            for (var round = 0; round < rounds; round++)
            {
                var (ownTime, wallTime, found) = Measure(project, analyzers, tree, ref edit);
                own.Add(ownTime);
                wall.Add(wallTime);
                findings = found;
            }

            own.Sort();
            wall.Sort();
            Console.WriteLine($"{Path.GetFileName(tree.FilePath),-40} {tree.GetText().Lines.Count,6} lines: TenantGuard median {own[own.Count / 2],6:F1} ms "
                + $"(min {own[0]:F1}, max {own[^1]:F1}); whole analysis of the document, binding included, median {wall[wall.Count / 2],6:F1} ms   {findings}");
        }
    }

    private static (double Own, double Wall, string Findings) Measure(CommandLineCompilation project, ImmutableArray<DiagnosticAnalyzer> analyzers, SyntaxTree tree, ref int edit)
    {
        var text = tree.GetText();
        var edited = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(text.Length, 0), $"{Environment.NewLine}// edit {++edit}")));
        var compilation = project.Compilation.ReplaceSyntaxTree(tree, edited);
        var options = new CompilationWithAnalyzersOptions(project.Options, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var watch = Stopwatch.StartNew();
        var model = compilation.GetSemanticModel(edited);
        var diagnostics = withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, CancellationToken.None).GetAwaiter().GetResult();
        var wall = watch.Elapsed.TotalMilliseconds;
        var own = 0.0;
        foreach (var analyzer in analyzers)
        {
            own += withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds;
        }

        var findings = string.Join(", ", diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
        return (own, wall, findings);
    }
}
