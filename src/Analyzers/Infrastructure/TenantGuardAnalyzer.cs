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
                var environment = AnalysisEnvironment.Get(start.Compilation, start.Options);
                if (environment.Symbols is null)
                {
                    return;
                }

                start.RegisterOperationBlockAction(block =>
                {
                    var seen = new System.Collections.Generic.HashSet<IOperation>();
                    foreach (var operationBlock in block.OperationBlocks)
                    {
                        var root = operationBlock;
                        while (root.Parent is not null)
                        {
                            root = root.Parent;
                        }

                        if (seen.Add(root) && MethodAnalysis.IsAnalyzableRoot(root))
                        {
                            var analysis = MethodAnalysis.Get(block, operationBlock, root, environment);
                            if (analysis.Model.HasEvents)
                            {
                                Analyze(block, analysis);
                            }
                        }
                    }
                });
            });
        }

        /// <summary>Reports the rule's diagnostics for one operation block.</summary>
        private protected abstract void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis);
    }
}
