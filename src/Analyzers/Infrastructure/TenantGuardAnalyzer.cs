using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>
    /// The base of every TenantGuard rule. At compilation start it looks the data-access types up once and
    /// registers nothing when Npgsql, Dapper and EF Core relational are all absent (the lookup is shared by every rule through
    /// <see cref="AnalysisEnvironment"/>); otherwise it hands each
    /// method's shared <see cref="MethodAnalysis"/> to the rule.
    /// </summary>
    public abstract class TenantGuardAnalyzer : DiagnosticAnalyzer
    {
        public sealed override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (AnalysisEnvironment.Get(start.Compilation, start.Options) is not { } environment)
                {
                    return;
                }

                start.RegisterOperationBlockAction(block =>
                {
                    var blocks = block.OperationBlocks;
                    for (var i = 0; i < blocks.Length; i++)
                    {
                        var root = MethodAnalysis.RootOf(blocks[i]);
                        if (!MethodAnalysis.IsAnalyzableRoot(root) || SeenBefore(blocks, i, root))
                        {
                            continue;
                        }

                        var analysis = MethodAnalysis.Get(block, root, environment);
                        if (analysis is not null && (analysis.Model.HasEvents || AnalyzesWithoutEvents(block, analysis)))
                        {
                            Analyze(block, analysis);
                        }
                    }
                });
                if (OperationAction(start.Compilation, environment, out var kinds) is { } action)
                {
                    start.RegisterOperationAction(action, kinds);
                }
            });
        }

        /// <summary>
        /// An action of a rule that also reads operations outside the methods that touch data access, with the kinds
        /// of operation it reads; none by default.
        /// </summary>
        private protected virtual System.Action<OperationAnalysisContext>? OperationAction(Compilation compilation, AnalysisEnvironment environment, out System.Collections.Immutable.ImmutableArray<OperationKind> kinds)
        {
            kinds = System.Collections.Immutable.ImmutableArray<OperationKind>.Empty;
            return null;
        }

        /// <summary>Whether an earlier block of the same declaration has this root (a handful of blocks at most: no set).</summary>
        private static bool SeenBefore(System.Collections.Immutable.ImmutableArray<IOperation> blocks, int index, IOperation root)
        {
            for (var j = 0; j < index; j++)
            {
                if (MethodAnalysis.RootOf(blocks[j]) == root)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether the rule has something to read in a block with no execution or other event (by default not: most
        /// rules read executions only).
        /// </summary>
        private protected virtual bool AnalyzesWithoutEvents(OperationBlockAnalysisContext context, MethodAnalysis analysis) => false;

        /// <summary>Reports the rule's diagnostics for one operation block.</summary>
        private protected abstract void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis);
    }
}
