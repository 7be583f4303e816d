using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Infrastructure
{
    /// <summary>
    /// Runs a code fix (single occurrence and Fix All in document, project and solution) with the real libraries
    /// referenced, then checks that the fixed code compiles and that no TenantGuard rule reports anything on it.
    /// </summary>
    public static class VerifyFix<TAnalyzer, TCodeFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        public static Task CodeFixAsync(string source, string fixedSource, params (string Key, string Value)[] options) =>
            CodeFixAsync(source, fixedSource, options, Array.Empty<(string, string)>());

        /// <summary>The same, with migrations (or other additional files) in the project, other global usings, and the fix chosen by its equivalence key.</summary>
        public static async Task CodeFixAsync(string source, string fixedSource, (string Key, string Value)[] options, (string Path, string Text)[] additionalFiles, string? globalUsings = null, string? equivalenceKey = null)
        {
            var test = new Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
            Verify<TAnalyzer>.Configure(test.TestState, options, additionalFiles, globalUsings);
            Verify<TAnalyzer>.Configure(test.FixedState, options, additionalFiles, globalUsings);
            await test.RunAsync(CancellationToken.None);

            var markupFree = fixedSource;
            var files = additionalFiles.Select(f => (AdditionalText)new AdditionalFileText(f.Path, f.Text)).ToImmutableArray();
            var (diagnostics, failure) = await RobustnessTests.RunAllAsync(markupFree, options: new AnalyzerOptions(files, new TestOptionsProvider(options)), globalUsings: globalUsings);
            Assert.Null(failure);
            Assert.Empty(diagnostics.Select(d => d.ToString()));
        }

        /// <summary>One of a provider's fixes, chosen by its equivalence key.</summary>
        public static Task CodeFixAsync(string source, string fixedSource, string equivalenceKey, params (string Key, string Value)[] options) =>
            CodeFixAsync(source, fixedSource, equivalenceKey, Array.Empty<string>(), options);

        /// <summary>The same, where the fixed code still has other rules' findings, which this fix is not about.</summary>
        public static async Task CodeFixAsync(string source, string fixedSource, string equivalenceKey, string[] stillReported, params (string Key, string Value)[] options)
        {
            var test = new Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey };
            Verify<TAnalyzer>.Configure(test.TestState, options, Array.Empty<(string, string)>());
            Verify<TAnalyzer>.Configure(test.FixedState, options, Array.Empty<(string, string)>());
            await test.RunAsync(CancellationToken.None);
            var (diagnostics, failure) = await RobustnessTests.RunAllAsync(fixedSource, options: new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new TestOptionsProvider(options)));
            Assert.Null(failure);
            Assert.Empty(diagnostics.Where(d => !stillReported.Contains(d.Id)).Select(d => d.ToString()));
        }

        /// <summary>The fix with this equivalence key is not offered.</summary>
        public static async Task NoFixAsync(string source, string equivalenceKey, params (string Key, string Value)[] options)
        {
            var test = new Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = equivalenceKey };
            Verify<TAnalyzer>.Configure(test.TestState, options, Array.Empty<(string, string)>());
            Verify<TAnalyzer>.Configure(test.FixedState, options, Array.Empty<(string, string)>());
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            await test.RunAsync(CancellationToken.None);
        }

        /// <summary>The fix is not offered: the code stays as it is.</summary>
        public static Task NoFixAsync(string source, params (string Key, string Value)[] options) =>
            NoFixAsync(source, options, Array.Empty<(string, string)>());

        public static async Task NoFixAsync(string source, (string Key, string Value)[] options, (string Path, string Text)[] additionalFiles)
        {
            var test = new Test { TestCode = source, FixedCode = source };
            Verify<TAnalyzer>.Configure(test.TestState, options, additionalFiles);
            Verify<TAnalyzer>.Configure(test.FixedState, options, additionalFiles);
            test.FixedState.MarkupHandling = MarkupMode.Allow;
            await test.RunAsync(CancellationToken.None);
        }

        private sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
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
}
