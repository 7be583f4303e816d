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
        public static async Task CodeFixAsync(string source, string fixedSource, params (string Key, string Value)[] options)
        {
            var test = new Test { TestCode = source, FixedCode = fixedSource };
            Verify<TAnalyzer>.Configure(test.TestState, options, Array.Empty<(string, string)>());
            Verify<TAnalyzer>.Configure(test.FixedState, options, Array.Empty<(string, string)>());
            await test.RunAsync(CancellationToken.None);

            var markupFree = fixedSource;
            var (diagnostics, failure) = await RobustnessTests.RunAllAsync(markupFree, options: new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new TestOptionsProvider(options)));
            Assert.Null(failure);
            Assert.Empty(diagnostics.Select(d => d.ToString()));
        }

        /// <summary>The fix is not offered: the code stays as it is.</summary>
        public static async Task NoFixAsync(string source, params (string Key, string Value)[] options)
        {
            var test = new Test { TestCode = source, FixedCode = source };
            Verify<TAnalyzer>.Configure(test.TestState, options, Array.Empty<(string, string)>());
            Verify<TAnalyzer>.Configure(test.FixedState, options, Array.Empty<(string, string)>());
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
