using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Registry;
using TenantGuard.Analyzers.Rules;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Infrastructure
{
    /// <summary>All rules together: no analyzer exception (AD0001) on odd or broken code, and nothing registered without a data-access library.</summary>
    public class RobustnessTests
    {
        /// <summary>Every analyzer the package ships, from the registry (RegistryTests: it lists every analyzer of the assembly).</summary>
        internal static readonly ImmutableArray<DiagnosticAnalyzer> AllAnalyzers = TenantGuardRules.CreateAnalyzers();

        internal static async Task<(ImmutableArray<Diagnostic> Diagnostics, Exception? Failure)> RunAllAsync(string source, bool withDataAccess = true, OutputKind kind = OutputKind.DynamicallyLinkedLibrary, AnalyzerOptions? options = null, string? globalUsings = null)
        {
            var trees = new[]
            {
                CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12), path: "/odd.cs"),
                CSharpSyntaxTree.ParseText(withDataAccess ? globalUsings ?? TestReferences.GlobalUsings : "global using System; global using System.Data; global using System.Data.Common;", new CSharpParseOptions(LanguageVersion.CSharp12), path: "/usings.cs"),
            };
            var references = withDataAccess ? TestReferences.All : Net100.References.All.Cast<MetadataReference>().ToList();
            var compilation = CSharpCompilation.Create("odd", trees, references, new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable));
            Exception? failure = null;
            var withAnalyzers = new CompilationWithAnalyzers(
                compilation,
                AllAnalyzers,
                new CompilationWithAnalyzersOptions(options ?? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), (e, _, _) => failure ??= e, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);

            // TG0002 says what TenantGuard knows of the schema, and the schema rules judge the migrations; the code rules'
            // tests look at the code's diagnostics.
            return (diagnostics.RemoveAll(d => !TenantGuardRules.IsCode(d.Descriptor)), failure);
        }

        [Theory]
        [InlineData("class C { void M(IDbConnection c) { c.Execute(\"SELECT 1\" ") /* unterminated call */]
        [InlineData("class C { void M(IDbConnection c) { c.Execute(); c.Query<int>(null!); } }")]
        [InlineData("class C { void M(NpgsqlConnection c) { using var cmd = new NpgsqlCommand(); cmd.ExecuteNonQuery(); } }")]
        [InlineData("class C { object M(IDbConnection c) { dynamic d = c; return d.Execute(\"DELETE FROM t WHERE tenant_id = 1\"); } }")]
        [InlineData("class C { void M(IDbConnection? c, IDbTransaction? tx) { c?.Execute(\"SELECT 1\", transaction: tx); tx?.Commit(); } }")]
        [InlineData("class C { int P => new NpgsqlConnection().Execute(\"DELETE FROM t WHERE tenant_id = 1\"); }")]
        [InlineData("class C { static readonly int F = new NpgsqlConnection().Execute(\"SET app.tenant_id = @x\"); }")]
        [InlineData("class C { C(IDbConnection c) : this(c.Execute(\"SELECT 1\")) { } C(int x) { } }")]
        [InlineData("class C { void M(IDbConnection c) { string s = \"\"; for (var i = 0; i < 3; i++) s += \"x\"; c.Execute(s); } }")]
        [InlineData("class C { void M(IDbConnection c) { var a = \"SELECT :a::jsonb\"; a = a + a; c.Execute(a); } }")]
        [InlineData("class C { void M(IDbConnection c) { goto L; L: try { c.Execute(\"SELECT 1\"); } catch when (true) { } finally { c.Execute(\"SELECT 2\"); } } }")]
        [InlineData("class C { async IAsyncEnumerable<int> M(NpgsqlDataSource ds) { await using var c = await ds.OpenConnectionAsync(); await foreach (var x in c.QueryUnbufferedAsync<int>(\"SELECT id FROM t WHERE tenant_id = 1\")) yield return x; } }")]
        [InlineData("class C { void M(IDbConnection c) { void L(int n) { if (n > 0) { c.Execute(\"SELECT 1\"); L(n - 1); } } L(3); Action a = () => { Func<int> f = () => c.Execute(\"SET LOCAL a.b = @x\"); }; } }")]
        [InlineData("class C<T> where T : DbConnection { void M(T c) { using var tx = c.BeginTransaction(); c.Execute(\"SELECT set_config('app.tenant_id', '1', true)\", transaction: tx); try { c.Execute(\"DELETE FROM t WHERE tenant_id = 1\", transaction: tx); } catch { } tx.Commit(); } }")]
        [InlineData("class C { int M(IDbConnection c, int k) => k switch { 1 => c.Execute(\"SELECT 1\"), _ => throw new Exception() }; }")]
        [InlineData("class C { void M(NpgsqlConnection c) { using var b = new NpgsqlBatch(c); b.BatchCommands.Add(null!); b.BatchCommands.Add(new NpgsqlBatchCommand()); b.ExecuteNonQuery(); } }")]
        [InlineData("interface I { void M(IDbConnection c) => c.Execute(\"SELECT 1\"); }")]
        [InlineData("record R(IDbConnection C) { public int N { get; } = C.Execute(\"SELECT 1\"); }")]
        [InlineData("class C { void M(IDbConnection c, string t) { c.Execute($\"\"\"\n    SET LOCAL app.tenant_id = '{t}';\n    SELECT :x::jsonb\n    \"\"\"); } }")]
        [InlineData("class C { void M(IDbConnection c) { c.Execute(\"\\u0053ELECT :x::jsonb\\x20\\U00000041\"); c.Execute(@\"SELECT \"\"a\"\" :y::int\"); } }")]
        [InlineData("class C { void M(IDbConnection c, CommandDefinition d) { c.Execute(d); c.Execute(default(CommandDefinition)); } }")]
        [InlineData("class C { async Task M(NpgsqlConnection c, string[] names) { await using var tx = await c.BeginTransactionAsync(); foreach (var n in names.Where(x => x.StartsWith(\"m\"))) { await c.ExecuteAsync(n, transaction: tx); } try { Func<int, bool> f = i => { try { return i > 0; } catch { return false; } }; } finally { } } }") /* lambda inside try regions */]
        [InlineData("class C { void M(NpgsqlConnection c) { var cmd = c.CreateCommand(); cmd = null!; cmd.ExecuteNonQuery(); NpgsqlCommand x; x = new(\"SELECT 1\", c); x.ExecuteNonQuery(); } }")]
        public async Task No_analyzer_exception_on_odd_code(string source)
        {
            var (diagnostics, failure) = await RunAllAsync(source);
            Assert.Null(failure);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        }

        [Fact]
        public async Task No_analyzer_exception_on_top_level_statements()
        {
            var (diagnostics, failure) = await RunAllAsync("""
                await using var ds = NpgsqlDataSource.Create("Host=localhost");
                await using var conn = await ds.OpenConnectionAsync();
                await conn.ExecuteAsync("SELECT set_config('app.tenant_id', '1', true)");
                try { await conn.ExecuteAsync("DELETE FROM t WHERE tenant_id = 1"); } catch { }
                """, kind: OutputKind.ConsoleApplication);
            Assert.Null(failure);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
            Assert.Contains(diagnostics, d => d.Id == "TG1001");
            Assert.Contains(diagnostics, d => d.Id == "TG1003");
            Assert.Contains(diagnostics, d => d.Id == "TG1007");
        }

        [Fact]
        public async Task Deeply_nested_concatenation()
        {
            var parts = string.Join(" + ", Enumerable.Range(0, 1500).Select(i => $"\"x{i} \""));
            var (diagnostics, failure) = await RunAllAsync($"class C {{ void M(IDbConnection c) {{ c.Execute({parts} + \":p::jsonb\"); }} }}");
            Assert.Null(failure);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        }

        [Fact]
        public async Task A_second_assembly_defining_the_data_access_types_does_not_hide_them()
        {
            // A shim beside the real libraries (an embedded copy, a test double) defines the same type names, internal.
            var shim = CSharpCompilation.Create(
                "Shim",
                new[] { CSharpSyntaxTree.ParseText("namespace Npgsql { internal class NpgsqlConnection { } } namespace Dapper { internal static class SqlMapper { } }") },
                Net100.References.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).ToMetadataReference();
            const string source = """
                class C
                {
                    async Task M(NpgsqlConnection conn, string tenant)
                    {
                        await using var tx = await conn.BeginTransactionAsync();
                        await conn.ExecuteAsync("SET LOCAL app.tenant_id = @tenant", new { tenant }, tx);
                    }
                }
                """;
            var trees = new[]
            {
                CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12), path: "/shim.cs"),
                CSharpSyntaxTree.ParseText(TestReferences.GlobalUsings, new CSharpParseOptions(LanguageVersion.CSharp12), path: "/usings.cs"),
            };
            var compilation = CSharpCompilation.Create("withShim", trees, TestReferences.All.Append(shim), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.Null(compilation.GetTypeByMetadataName("Npgsql.NpgsqlConnection")); // what TenantGuard no longer relies on
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var diagnostics = await compilation.WithAnalyzers(AllAnalyzers).GetAnalyzerDiagnosticsAsync();
            Assert.Contains(diagnostics, d => d.Id == "TG1006");
        }

        [Fact]
        public async Task Registers_nothing_without_a_data_access_library()
        {
            const string source = "class C { void M(DbConnection c) { using var cmd = c.CreateCommand(); cmd.CommandText = \"SET app.tenant_id = @t\"; cmd.ExecuteNonQuery(); } }";
            var compilation = CSharpCompilation.Create(
                "plain",
                new[] { CSharpSyntaxTree.ParseText(source), CSharpSyntaxTree.ParseText("global using System.Data.Common;") },
                Net100.References.All,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var withAnalyzers = compilation.WithAnalyzers(AllAnalyzers);
            Assert.Empty(await withAnalyzers.GetAnalyzerDiagnosticsAsync());
            foreach (var analyzer in AllAnalyzers)
            {
                var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
                // TG0002 registers one compilation action, which returns at once here; the schema rules one compilation
                // start action, which finds no migration and registers nothing per file.
                Assert.Equal(analyzer is IncompleteCatalogAnalyzer ? 0 : 1, telemetry.CompilationStartActionsCount);
                Assert.Equal(0, telemetry.SyntaxTreeActionsCount);
                Assert.Equal(0, telemetry.AdditionalFileActionsCount);
                Assert.Equal(0, telemetry.SymbolStartActionsCount);
                Assert.Equal(0, telemetry.OperationBlockActionsCount);
            }
        }

        [Fact]
        public async Task Plain_adonet_is_analyzed_when_opted_in()
        {
            const string source = "class C { void M(DbConnection c) { using var cmd = c.CreateCommand(); cmd.CommandText = \"SET app.tenant_id = @t\"; cmd.ExecuteNonQuery(); } }";
            var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new TestOptionsProvider(("tenantguard.analyze_plain_adonet", "true")));
            var (diagnostics, failure) = await RunAllAsync(source, withDataAccess: false, options: options);
            Assert.Null(failure);
            Assert.Contains(diagnostics, d => d.Id == "TG1006");
            Assert.Contains(diagnostics, d => d.Id == "TG1008");
        }

        [Fact]
        public async Task Methods_of_a_project_referenced_as_a_compilation_are_read_like_another_assemblys()
        {
            // The IDE and MSBuildWorkspace reference a project as a compilation: its methods have syntax, in trees that are
            // not this compilation's. Summaries must not ask this compilation for a semantic model of them.
            var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
            var library = CSharpCompilation.Create("library", new[]
            {
                CSharpSyntaxTree.ParseText("public static class Provider { public static async System.Threading.Tasks.Task<string> FetchAsync(System.Net.Http.HttpClient c) => await c.GetStringAsync(\"x\"); public static Npgsql.NpgsqlConnection Open(Npgsql.NpgsqlDataSource ds) => ds.OpenConnection(); }", parse, path: "/library.cs"),
            }, TestReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            var app = CSharpCompilation.Create("app", new[]
            {
                CSharpSyntaxTree.ParseText("""
                    class C
                    {
                        async Task M(NpgsqlDataSource ds, HttpClient http)
                        {
                            using var conn = Provider.Open(ds);
                            using var tx = conn.BeginTransaction();
                            var name = await Provider.FetchAsync(http);
                            conn.Execute("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
                            tx.Commit();
                        }
                    }
                    """, parse, path: "/app.cs"),
                CSharpSyntaxTree.ParseText(TestReferences.GlobalUsings, parse, path: "/usings.cs"),
            }, TestReferences.All.Append(library.ToMetadataReference()), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Exception? failure = null;
            var diagnostics = await new CompilationWithAnalyzers(app, AllAnalyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), (e, _, _) => failure ??= e, concurrentAnalysis: true, logAnalyzerExecutionTime: false))
                .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            Assert.Null(failure);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        }

        [Fact]
        public async Task Generated_code_is_skipped()
        {
            var (diagnostics, _) = await RunAllAsync("""
                // <auto-generated/>
                class C { void M(IDbConnection c) { c.Execute("SET app.tenant_id = @t"); } }
                """);
            Assert.Empty(diagnostics);
        }

        [Fact]
        public void Every_rule_has_a_help_link_to_its_page()
        {
            foreach (var descriptor in AllAnalyzers.SelectMany(a => a.SupportedDiagnostics))
            {
                Assert.Equal(Descriptors.HelpLinkBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
                // Each rule's own default is pinned by the generated documents (DocGenTests): README, editorconfig, release tracking.
                Assert.True(descriptor.DefaultSeverity is DiagnosticSeverity.Warning or DiagnosticSeverity.Info, $"{descriptor.Id}: {descriptor.DefaultSeverity}");
                Assert.True(descriptor.IsEnabledByDefault);
                var page = System.IO.Path.Combine(RepositoryRoot(), "docs", "rules", descriptor.Id + ".md");
                Assert.True(System.IO.File.Exists(page), $"missing {page}");
            }
        }

        internal static string RepositoryRoot()
        {
            var directory = AppContext.BaseDirectory;
            while (directory is not null && !System.IO.File.Exists(System.IO.Path.Combine(directory, "TenantGuard.sln")))
            {
                directory = System.IO.Path.GetDirectoryName(directory);
            }

            return directory ?? throw new InvalidOperationException("TenantGuard.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
