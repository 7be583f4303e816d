using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;

namespace TenantGuard.Analyzers.Infrastructure
{
    /// <summary>
    /// The base of every TenantGuard rule. At compilation start it looks the data-access types up once and
    /// registers nothing when Npgsql, Dapper and EF Core relational are all absent; otherwise it hands each
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
                var plainAdoNet = TenantGuardOptions.ReadBool(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions, TenantGuardOptions.AnalyzePlainAdoNetKey, false);
                var symbols = DataAccessSymbols.TryCreate(start.Compilation, plainAdoNet);
                if (symbols is null)
                {
                    return;
                }

                var environment = new AnalysisEnvironment(symbols, MigrationCatalog.Read(start.Options.AdditionalFiles, start.CancellationToken));
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
