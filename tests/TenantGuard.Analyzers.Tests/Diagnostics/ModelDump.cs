using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using TenantGuard.Analyzers.Flow;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Summaries;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace TenantGuard.Analyzers.Tests.Diagnostics
{
    public class ModelDump
    {
        private readonly ITestOutputHelper _out;
        public ModelDump(ITestOutputHelper output) => _out = output;

        /// <summary>A developer's aid: runs every rule over the files in TENANTGUARD_DEBUG_FILES (';'-separated) and prints analyzer exceptions with their stacks.</summary>
        [DeveloperAidFact("TENANTGUARD_DEBUG_FILES")]
        public async System.Threading.Tasks.Task RunAll()
        {
            var paths = Environment.GetEnvironmentVariable("TENANTGUARD_DEBUG_FILES");
            if (string.IsNullOrEmpty(paths))
            {
                return;
            }

            foreach (var path in paths.Split(';'))
            {
                var (diagnostics, failure) = await RobustnessTests.RunAllAsync(System.IO.File.ReadAllText(path));
                _out.WriteLine($"== {path}: {failure}");
                foreach (var d in diagnostics) _out.WriteLine(d.ToString());
            }
        }

        /// <summary>A developer's aid: each rule's execution time over the file in TENANTGUARD_TIMING_FILE.</summary>
        [DeveloperAidFact("TENANTGUARD_TIMING_FILE")]
        public async System.Threading.Tasks.Task Timing()
        {
            var path = Environment.GetEnvironmentVariable("TENANTGUARD_TIMING_FILE");
            if (string.IsNullOrEmpty(path))
            {
                return;
            }

            var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
            var trees = new[] { CSharpSyntaxTree.ParseText(System.IO.File.ReadAllText(path), parse), CSharpSyntaxTree.ParseText(TestReferences.GlobalUsings, parse) };
            var compilation = CSharpCompilation.Create("timing", trees, TestReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            _ = compilation.GetDiagnostics();
            _out.WriteLine($"compile: {watch.ElapsedMilliseconds} ms");
            var withAnalyzers = new CompilationWithAnalyzers(compilation, RobustnessTests.AllAnalyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(System.Collections.Immutable.ImmutableArray<AdditionalText>.Empty, new TestOptionsProvider(("tenantguard.tenant_tables", "contacts"))),
                null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
            watch.Restart();
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
            _out.WriteLine($"analyzers (all, wall): {watch.ElapsedMilliseconds} ms, {diagnostics.Length} diagnostics");
            foreach (var analyzer in RobustnessTests.AllAnalyzers)
            {
                var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, System.Threading.CancellationToken.None);
                _out.WriteLine($"  {analyzer.GetType().Name}: {telemetry.ExecutionTime.TotalMilliseconds:F0} ms");
            }
        }

        /// <summary>A developer's aid: dumps the model and flow of the code in TENANTGUARD_DEBUG_FILE.</summary>
        [DeveloperAidFact("TENANTGUARD_DEBUG_FILE")]
        public void Dump()
        {
            var path = Environment.GetEnvironmentVariable("TENANTGUARD_DEBUG_FILE");
            if (string.IsNullOrEmpty(path) || !System.IO.File.Exists(path))
            {
                return;
            }

            var code = System.IO.File.ReadAllText(path);
            var trees = new[] { CSharpSyntaxTree.ParseText(code), CSharpSyntaxTree.ParseText(TestReferences.GlobalUsings) };
            var comp = CSharpCompilation.Create("x", trees, TestReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            foreach (var d in comp.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)) _out.WriteLine(d.ToString());
            var symbols = DataAccessSymbols.TryCreate(comp, false)!;
            var summaries = new MethodSummaries(symbols, TenantGuard.Analyzers.Sites.SiteRecognizers.All, new CalleeFlow());
            var model = comp.GetSemanticModel(trees[0]);
            foreach (var method in trees[0].GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var op = model.GetOperation(method)!;
                _out.WriteLine($"== {method.Identifier} {op.Kind}");
                var mm = summaries.Models.Build(op, System.Collections.Immutable.ImmutableHashSet<string>.Empty);
                foreach (var s in mm.Sites) _out.WriteLine($"site {s.Kind} conn={s.Connection} tx={s.Transaction} sql={s.Sql?.Text}");
                var cfg = ControlFlowGraph.Create((Microsoft.CodeAnalysis.Operations.IMethodBodyOperation)op);
                var options = new TenantGuard.Analyzers.Options.TenantGuardOptions(new TestOptionsProvider().GetOptions(trees[0]), TenantGuard.Analyzers.Catalog.PolicyCatalog.Empty);
                var flow = TenantContextFlow.Run(cfg, mm, summaries, options);
                foreach (var s in mm.Sites)
                {
                    var st = flow.StateBefore(s.Syntax);
                    _out.WriteLine($"  before {s.Syntax.ToString().Split('\n')[0]}: " + (st is null ? "null" : string.Join("; ", st.Connections.Select(c => c.Key + ":" + c.Value)) + (s.Connection is null ? "" : " | this=" + st[s.Connection])));
                }
            }
        }
    }
}
