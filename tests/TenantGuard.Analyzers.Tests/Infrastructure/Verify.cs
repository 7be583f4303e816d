using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace TenantGuard.Analyzers.Tests.Infrastructure
{
    /// <summary>
    /// Runs one TenantGuard analyzer over C# test code compiled against the .NET 10 reference assemblies and the
    /// real Npgsql, Dapper, EF Core and Microsoft.Extensions assemblies this test project references.
    /// Markup <c>{|TG1001:...|}</c> marks exactly where a diagnostic must land; code without markup must produce none.
    /// </summary>
    public static class Verify<TAnalyzer>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public static Task AnalyzerAsync(string source, params (string Key, string Value)[] options) =>
            AnalyzerAsync(source, options, additionalFiles: Array.Empty<(string, string)>());

        /// <summary>Checks diagnostics given explicitly (with their message arguments) as well as the markup.</summary>
        public static Task AnalyzerAsync(string source, (string Key, string Value)[] options, params DiagnosticResult[] expected) =>
            AnalyzerAsync(source, options, Array.Empty<(string, string)>(), expected);

        public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Warning);

        public static async Task AnalyzerAsync(string source, (string Key, string Value)[] options, (string Path, string Text)[] additionalFiles, params DiagnosticResult[] expected)
        {
            var test = new Test();
            test.ExpectedDiagnostics.AddRange(expected);
            test.TestState.Sources.Add(source);
            Configure(test.TestState, options, additionalFiles);
            await test.RunAsync(CancellationToken.None);
        }

        internal static void Configure(SolutionState state, (string Key, string Value)[] options, (string Path, string Text)[] additionalFiles, string? globalUsings = null)
        {
            state.Sources.Add(("GlobalUsings.cs", globalUsings ?? TestReferences.GlobalUsings));
            state.AdditionalReferences.AddRange(TestReferences.All);
            if (options.Length > 0)
            {
                state.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + string.Join("\n", options.Select(o => $"{o.Key} = {o.Value}")) + "\n"));
            }

            // The test framework reads markup in additional files too: SQL in these tests writes tagged dollar quotes
            // ($do$ ... $do$), since $$ would be taken for a caret.
            foreach (var file in additionalFiles)
            {
                state.AdditionalFiles.Add(file);
            }
        }

        private sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            public Test()
            {
                ReferenceAssemblies = TestReferences.None;
                SolutionTransforms.Add((solution, projectId) =>
                {
                    var project = solution.GetProject(projectId)!;
                    var parse = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.CSharp12);
                    var compilation = ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable);
                    return solution.WithProjectParseOptions(projectId, parse).WithProjectCompilationOptions(projectId, compilation);
                });
            }
        }
    }

    internal static class TestReferences
    {
        /// <summary>No NuGet resolution at test time: the framework comes from Basic.Reference.Assemblies.</summary>
        public static readonly ReferenceAssemblies None = new("net10.0");

        public const string GlobalUsings = """
            global using System;
            global using System.Collections.Generic;
            global using System.Data;
            global using System.Data.Common;
            global using System.Linq;
            global using System.Net.Http;
            global using System.Net.Http.Json;
            global using System.Threading;
            global using System.Threading.Tasks;
            global using Dapper;
            global using Microsoft.EntityFrameworkCore;
            global using Microsoft.Extensions.Logging;
            global using Npgsql;
            """;

        /// <summary>The same, without Dapper: a file that talks to the database through Npgsql commands only.</summary>
        public static readonly string GlobalUsingsWithoutDapper = GlobalUsings.Replace("global using Dapper;\n", string.Empty).Replace("global using Dapper;\r\n", string.Empty);

        private static readonly string[] Prefixes = { "Npgsql", "Dapper", "Microsoft.EntityFrameworkCore", "Microsoft.Extensions.", "TenantGuard.Rls", "FluentMigrator", "Microsoft.Data.Sqlite" };

        public static readonly IReadOnlyList<MetadataReference> All = Load();

        private static IReadOnlyList<MetadataReference> Load()
        {
            // Make sure the real libraries are loaded next to the tests.
            _ = typeof(Npgsql.NpgsqlConnection);
            _ = typeof(Dapper.SqlMapper);
            _ = typeof(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions);
            _ = typeof(Microsoft.Extensions.Logging.ILogger);
            _ = typeof(System.Net.Http.IHttpClientFactory);
            _ = typeof(FluentMigrator.Migration);
            _ = typeof(Microsoft.Data.Sqlite.SqliteConnection);

            var references = new List<MetadataReference>(Net100.References.All);

            // ASP.NET Core's pipeline types, from the shared framework the test host runs on (TG1005 on middleware), and
            // the Microsoft.Extensions assemblies that come from there rather than from the test's own output.
            var aspNet = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.RequestDelegate).Assembly.Location)!;
            var copied = new HashSet<string>(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll").Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
            foreach (var file in Directory.EnumerateFiles(aspNet, "*.dll"))
            {
                var name = Path.GetFileName(file);
                if (!copied.Contains(name) && (name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                    || name is "Microsoft.AspNetCore.Http.Abstractions.dll" or "Microsoft.AspNetCore.Http.Features.dll"
                        // Minimal-API handlers (app.MapGet), for the rules that know framework entry points.
                        or "Microsoft.AspNetCore.Routing.dll" or "Microsoft.AspNetCore.Routing.Abstractions.dll" or "Microsoft.AspNetCore.Http.dll"))
                {
                    references.Add(MetadataReference.CreateFromFile(file));
                }
            }

            // xunit itself, for the rules that know test methods (TG1003).
            references.Add(MetadataReference.CreateFromFile(typeof(Xunit.FactAttribute).Assembly.Location));
            references.Add(MetadataReference.CreateFromFile(typeof(Xunit.Assert).Assembly.Location));
            foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"))
            {
                var name = Path.GetFileName(file);
                if (Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) && !name.Contains("Test", StringComparison.Ordinal))
                {
                    references.Add(MetadataReference.CreateFromFile(file));
                }
            }

            return references;
        }
    }
}
