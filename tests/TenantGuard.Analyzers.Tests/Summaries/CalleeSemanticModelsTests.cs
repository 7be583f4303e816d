using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Summaries;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Summaries
{
    /// <summary>The models the summaries read callees with: no nullable analysis, the same symbols and operations.</summary>
    public class CalleeSemanticModelsTests
    {
        private const string Code = """
            #nullable enable
            class C
            {
                string? Name() => null;

                int Length()
                {
                    var name = Name();
                    return name is null ? 0 : name.Length;
                }
            }
            """;

        private static (CSharpCompilation Compilation, SyntaxTree Tree, MethodDeclarationSyntax Method) Compile()
        {
            var tree = CSharpSyntaxTree.ParseText(Code);
            var compilation = CSharpCompilation.Create(
                "callees",
                new[] { tree },
                new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == "Length");
            return (compilation, tree, method);
        }

        [Fact]
        public void The_compiler_the_tests_run_on_offers_models_without_nullable_analysis() =>
            Assert.True(CalleeSemanticModels.SkipNullableAnalysis);

        [Fact]
        public void A_callee_is_read_without_nullable_analysis()
        {
            var (compilation, tree, method) = Compile();
            var model = new CalleeSemanticModels(compilation).For(tree);
            var access = method.DescendantNodes().OfType<MemberAccessExpressionSyntax>().Single();

            // The compilation's own model tracks the flow state of 'name' after the null test; this one does not.
            Assert.Equal(NullableFlowState.NotNull, compilation.GetSemanticModel(tree).GetTypeInfo(access.Expression).Nullability.FlowState);
            Assert.Equal(NullableFlowState.None, model.GetTypeInfo(access.Expression).Nullability.FlowState);
        }

        [Fact]
        public void A_callee_has_the_same_symbols_and_operations_either_way()
        {
            var (compilation, tree, method) = Compile();
            var without = new CalleeSemanticModels(compilation).For(tree).GetOperation(method)!;
            var with = compilation.GetSemanticModel(tree).GetOperation(method)!;

            var kinds = without.DescendantsAndSelf().Select(o => o.Kind).ToArray();
            Assert.Equal(with.DescendantsAndSelf().Select(o => o.Kind).ToArray(), kinds);
            var calls = without.DescendantsAndSelf().OfType<IInvocationOperation>().Select(c => c.TargetMethod).ToArray();
            Assert.Equal(with.DescendantsAndSelf().OfType<IInvocationOperation>().Select(c => c.TargetMethod).ToArray(), calls, SymbolEqualityComparer.Default);
            var types = without.DescendantsAndSelf().Select(o => o.Type).ToArray();
            Assert.Equal(with.DescendantsAndSelf().Select(o => o.Type).ToArray(), types, SymbolEqualityComparer.Default);
        }

        [Fact]
        public void One_model_per_tree()
        {
            var (compilation, tree, _) = Compile();
            var models = new CalleeSemanticModels(compilation);
            Assert.Same(models.For(tree), models.For(tree));
        }
    }
}
