using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace TenantGuard.Benchmarks;

/// <summary>
/// A real project's compilation, rebuilt in process from the compiler's own command line (a response file holding the
/// arguments MSBuild passed to csc), with its analyzer config files and additional files, but without its analyzers
/// and source generators: what TenantGuard sees when it runs in that project's build.
/// </summary>
internal sealed class CommandLineCompilation
{
    private CommandLineCompilation(CSharpCompilation compilation, AnalyzerOptions options)
    {
        Compilation = compilation;
        Options = options;
    }

    public CSharpCompilation Compilation { get; }

    public AnalyzerOptions Options { get; }

    /// <summary>Reads a response file (one argument per line, as MSBuild's Csc task writes it) relative to a project directory.</summary>
    public static CommandLineCompilation Load(string responseFile, string projectDirectory)
    {
        var arguments = CSharpCommandLineParser.SplitCommandLineIntoArguments(File.ReadAllText(responseFile), removeHashComments: false)
            .Where(a => !a.StartsWith("/analyzer:", StringComparison.OrdinalIgnoreCase) && !a.StartsWith("/generatedfilesout:", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        var parsed = CSharpCommandLineParser.Default.Parse(arguments, projectDirectory, sdkDirectory: null);
        var errors = parsed.Errors.Where(e => e.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }

        var trees = parsed.SourceFiles
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(f.Path), System.Text.Encoding.UTF8), parsed.ParseOptions, f.Path))
            .ToList();
        var references = parsed.MetadataReferences
            .Select(r => (MetadataReference)MetadataReference.CreateFromFile(r.Reference, r.Properties))
            .ToList();
        // The strong-name provider lets a signed test project see the internals of the signed assembly it tests (InternalsVisibleTo).
        var compilationOptions = parsed.CompilationOptions.WithStrongNameProvider(new DesktopStrongNameProvider(ImmutableArray.Create(projectDirectory)));
        var compilation = CSharpCompilation.Create(parsed.CompilationName ?? "Project", trees, references, compilationOptions);

        var configs = parsed.AnalyzerConfigPaths
            .Select(p => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(p)), p))
            .ToList();
        var set = AnalyzerConfigSet.Create(configs);
        var additional = parsed.AdditionalFiles.Select(f => (AdditionalText)new AdditionalFileText(f.Path)).ToImmutableArray();
        var provider = new ConfigProvider(set, trees, additional);
        return new CommandLineCompilation(compilation, new AnalyzerOptions(additional, provider));
    }

    /// <summary>
    /// The analyzers' own execution time on a fresh copy of the compilation, in milliseconds, their findings by id, and
    /// the bytes allocated, processor time spent, collections run and time paused for them, and time spent compiling IL by the whole analysis (the compiler's binding included).
    /// </summary>
    public (double Milliseconds, string Findings, long Bytes, double CpuMilliseconds, int Collections, double PauseMilliseconds, double JitMilliseconds) OwnTime(ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent = true)
    {
        var options = new CompilationWithAnalyzersOptions(Options, onAnalyzerException: null, concurrentAnalysis: concurrent, logAnalyzerExecutionTime: true);
        // TENANTGUARD_BENCH_NOGC=1: no collection during the run (where the runtime allows the region), so that a pause
        // the compiler's allocations cause is not charged to whichever analyzer happens to run then.
        var noGc = Environment.GetEnvironmentVariable("TENANTGUARD_BENCH_NOGC") == "1";
        if (noGc)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            noGc = GC.TryStartNoGCRegion(3L << 30, 1L << 30);
        }

        var collections = GC.CollectionCount(0);
        var pause = GC.GetTotalPauseDuration();
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var result = Compilation.Clone().WithAnalyzers(analyzers, options).GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (noGc && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }

        bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        var findings = result.GetAllDiagnostics().GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}");
        return (result.AnalyzerTelemetryInfo.Values.Sum(t => t.ExecutionTime.TotalMilliseconds), string.Join(", ", findings), bytes, cpu.TotalMilliseconds, GC.CollectionCount(0) - collections, (GC.GetTotalPauseDuration() - pause).TotalMilliseconds, (System.Runtime.JitInfo.GetCompilationTime() - jit).TotalMilliseconds);
    }

    private sealed class ConfigProvider : AnalyzerConfigOptionsProvider
    {
        private readonly Dictionary<string, AnalyzerConfigOptions> _byPath = new(StringComparer.Ordinal);

        public ConfigProvider(AnalyzerConfigSet set, IEnumerable<SyntaxTree> trees, IEnumerable<AdditionalText> additional)
        {
            GlobalOptions = new ConfigOptions(set.GlobalConfigOptions.AnalyzerOptions);
            foreach (var path in trees.Select(t => t.FilePath).Concat(additional.Select(a => a.Path)))
            {
                _byPath[path] = new ConfigOptions(set.GetOptionsForSourcePath(path).AnalyzerOptions);
            }
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _byPath.TryGetValue(tree.FilePath, out var o) ? o : GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _byPath.TryGetValue(textFile.Path, out var o) ? o : GlobalOptions;
    }

    private sealed class ConfigOptions(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
