using System;
using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Summaries
{
    /// <summary>
    /// The semantic models the summaries read the project's other methods with (a callee's body, the registrations of a
    /// middleware), one per syntax tree and compilation. A summary reads types, symbols and operations, never
    /// nullability, and the nullable analysis a compilation's own model runs over a whole body is a large part of the
    /// cost of binding it (the other part, binding itself, stays). Compilers that offer it (Roslyn 4.9 and later:
    /// <c>Compilation.GetSemanticModel(tree, SemanticModelOptions.DisableNullableAnalysis)</c>, an experimental API that
    /// TenantGuard, built against 4.8, reaches by reflection) give a model that skips it; older ones give the
    /// compilation's own model for the tree, as before.
    /// </summary>
    internal sealed class CalleeSemanticModels
    {
        private static readonly (MethodInfo Method, object Options)? WithoutNullableAnalysis = Find();

        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

        public CalleeSemanticModels(Compilation compilation)
        {
            _compilation = compilation;
        }

        /// <summary>Whether the compiler gives models without nullable analysis (otherwise its own model is used).</summary>
        public static bool SkipNullableAnalysis => WithoutNullableAnalysis is not null;

        /// <summary>The model to read a tree of the compilation with.</summary>
        public SemanticModel For(SyntaxTree tree)
        {
            if (_models.TryGetValue(tree, out var known))
            {
                return known;
            }

            return _models.GetOrAdd(tree, Create(tree));
        }

        private SemanticModel Create(SyntaxTree tree)
        {
            if (WithoutNullableAnalysis is var (method, options))
            {
                try
                {
                    if (method.Invoke(_compilation, new[] { tree, options }) is SemanticModel model)
                    {
                        return model;
                    }
                }
                catch (TargetInvocationException)
                {
                    // An implementation of the experimental API that refuses: the compilation's own model below.
                }
            }

#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
            // The callee may live in another file than the block being analyzed: its tree's model is needed, and the
            // driver's cached one is what this returns.
            return _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
        }

        private static (MethodInfo Method, object Options)? Find()
        {
            var optionsType = typeof(Compilation).Assembly.GetType("Microsoft.CodeAnalysis.SemanticModelOptions", throwOnError: false);
            if (optionsType is null || !optionsType.IsEnum || !Enum.IsDefined(optionsType, "DisableNullableAnalysis"))
            {
                return null;
            }

            var method = typeof(Compilation).GetMethod(
                nameof(Compilation.GetSemanticModel), BindingFlags.Public | BindingFlags.Instance, null, new[] { typeof(SyntaxTree), optionsType }, null);
            return method is null || method.ReturnType != typeof(SemanticModel)
                ? null
                : (method, Enum.Parse(optionsType, "DisableNullableAnalysis"));
        }
    }
}
