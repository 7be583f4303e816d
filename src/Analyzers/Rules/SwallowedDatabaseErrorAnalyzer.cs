using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;

namespace TenantGuard.Analyzers.Rules
{
    /// <summary>TG1003: a catch around SQL that drops the database error.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SwallowedDatabaseErrorAnalyzer : TenantGuardAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TG1003_SwallowedDatabaseError);

        private protected override void Analyze(OperationBlockAnalysisContext context, MethodAnalysis analysis)
        {
            var model = analysis.Model;
            foreach (var tryOperation in model.Tries)
            {
                if (!ExecutesSql(tryOperation.Body, model))
                {
                    continue;
                }

                foreach (var clause in tryOperation.Catches)
                {
                    if (clause.Filter is not null
                        || !analysis.Symbols.CatchesDatabaseErrors(clause.ExceptionType)
                        || Handles(clause, model)
                        || IsAbortedTransactionReuse(clause, analysis))
                    {
                        continue;
                    }

                    var name = clause.Locals.Length > 0 ? $"'{clause.Locals[0].Name}'" : "the exception";
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TG1003_SwallowedDatabaseError, MethodModel.CatchLocation(clause), name));
                }
            }
        }

        internal static bool ExecutesSql(IOperation body, MethodModel model)
        {
            foreach (var operation in OperationHelpers.DescendantsInBody(body))
            {
                if (operation is IInvocationOperation && model.EventAt(operation.Syntax) is { Kind: FlowEventKind.Execute })
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>TG1004 reports this catch (its transaction is used again): its fix, a savepoint, is the one that helps.</summary>
        private static bool IsAbortedTransactionReuse(ICatchClauseOperation clause, MethodAnalysis analysis)
        {
            foreach (var found in analysis.AbortedReuses)
            {
                if (found.Clause == clause)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Rethrows (any throw), rolls back to a savepoint (the handling TG1004 recommends: the failed statement is
        /// undone and the transaction goes on), or does something with the exception object.
        /// </summary>
        private static bool Handles(ICatchClauseOperation clause, MethodModel model)
        {
            foreach (var operation in OperationHelpers.DescendantsInBody(clause.Handler))
            {
                if (operation is IThrowOperation)
                {
                    return true;
                }

                if (operation is IInvocationOperation && model.EventAt(operation.Syntax) is { } flowEvent
                    && (flowEvent.Kind == FlowEventKind.RollbackToSavepoint
                        || (flowEvent.Kind == FlowEventKind.Execute && flowEvent.Site!.Sql is { } sql && !sql.Script.Statements.IsEmpty && sql.Script.Statements[0].Kind == Sql.SqlStatementKind.RollbackToSavepoint)))
                {
                    return true;
                }
            }

            if (clause.Locals.Length == 0)
            {
                return false;
            }

            var exception = clause.Locals[0];
            foreach (var operation in clause.Handler.Descendants())
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, exception))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
