using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// Finds database errors caught inside an explicit transaction begun before the try, after which the same
    /// transaction is used again (a later command, the next loop iteration, the commit) with no rollback, to a savepoint
    /// or whole, in between. Follows the control-flow graph from each catch handler. Shared by TG1004, which reports
    /// these, and TG1003, which leaves them to TG1004.
    /// </summary>
    internal static class AbortedTransactions
    {
        /// <summary>Every catch clause of the method after which an aborted transaction is used again.</summary>
        /// <param name="flow">The method's flow, asked for only when a try block may leave an aborted transaction behind.</param>
        public static ImmutableArray<AbortedTransactionReuse> Find(MethodModel model, System.Func<TenantContextFlow> flow)
        {
            var result = ImmutableArray.CreateBuilder<AbortedTransactionReuse>();
            if (model.Tries.IsEmpty || !model.MayUseTransactions || !AnyTryRunsSql(model, model.Symbols))
            {
                return result.ToImmutable(); // nothing to abort: the flow is not built for this rule
            }

            var built = flow();
            foreach (var body in built.Bodies)
            {
                var tries = new List<ITryOperation>();
                foreach (var tryOperation in model.Tries)
                {
                    if (EnclosingBody(tryOperation, model) == body.Syntax)
                    {
                        tries.Add(tryOperation);
                    }
                }

                var regions = new List<ControlFlowRegion>();
                CollectTryCatchRegions(body.Graph.Root, regions);
                if (tries.Count == 0 || tries.Count != regions.Count)
                {
                    continue;
                }

                for (var i = 0; i < tries.Count; i++)
                {
                    AnalyzeTry(result, model, built, body, tries[i], regions[i]);
                }
            }

            return result.ToImmutable();
        }

        /// <summary>
        /// Whether some try block runs SQL on a connection and has a catch that catches database errors: only then can a
        /// caught error leave an aborted transaction behind (what <see cref="AnalyzeTry"/> looks for).
        /// </summary>
        private static bool AnyTryRunsSql(MethodModel model, DataAccessSymbols symbols)
        {
            foreach (var tryOperation in model.Tries)
            {
                var catchesDatabaseErrors = false;
                foreach (var clause in tryOperation.Catches)
                {
                    catchesDatabaseErrors |= symbols.CatchesDatabaseErrors(clause.ExceptionType);
                }

                if (!catchesDatabaseErrors)
                {
                    continue;
                }

                var span = tryOperation.Body.Syntax.Span;
                foreach (var site in model.Sites)
                {
                    if (site.Connection is not null && span.Contains(site.Syntax.Span))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static void AnalyzeTry(ImmutableArray<AbortedTransactionReuse>.Builder result, MethodModel model, TenantContextFlow flow, FlowBody body, ITryOperation tryOperation, ControlFlowRegion region)
        {
            var entry = body.Inputs[region.NestedRegions[0].FirstBlockOrdinal];
            var connections = new HashSet<ResourceKey>();
            var transactions = new HashSet<ResourceKey>();
            foreach (var operation in OperationHelpers.DescendantsInBody(tryOperation.Body))
            {
                if (operation is not IInvocationOperation || model.EventAt(operation.Syntax) is not { Kind: FlowEventKind.Execute, Site: { Connection: { } connection } site })
                {
                    continue;
                }

                var before = flow.StateBefore(site.Syntax);
                if (before is null)
                {
                    continue;
                }

                var openAtTry = entry is not null && entry[connection].TransactionMayBeOpen;
                var explicitTransaction = site.Transaction is { } transaction && DeclaredOutside(transaction, tryOperation) && before[connection].Transaction != TransactionState.None;
                if (openAtTry || explicitTransaction)
                {
                    connections.Add(connection);
                    if (site.Transaction is not null)
                    {
                        transactions.Add(site.Transaction);
                    }
                }
            }

            if (connections.Count == 0)
            {
                return;
            }

            for (var i = 0; i < tryOperation.Catches.Length && i + 1 < region.NestedRegions.Length; i++)
            {
                var clause = tryOperation.Catches[i];
                if (!model.Symbols.CatchesDatabaseErrors(clause.ExceptionType))
                {
                    continue;
                }

                var reuse = FindReuse(body, region.NestedRegions[i + 1].FirstBlockOrdinal, connections, transactions, out var connectionName);
                if (reuse is not null)
                {
                    result.Add(new AbortedTransactionReuse(clause, connectionName, reuse, SavepointTransaction(model, connections, transactions)));
                }
            }
        }

        /// <summary>Walks forward from the handler; a path ends at a rollback, a new transaction or a close.</summary>
        private static string? FindReuse(FlowBody body, int start, HashSet<ResourceKey> connections, HashSet<ResourceKey> transactions, out string connectionName)
        {
            connectionName = string.Empty;
            var blocks = body.Graph.Blocks;
            var visited = new HashSet<int>();
            var queue = new Queue<int>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var ordinal = queue.Dequeue();
                if (!visited.Add(ordinal))
                {
                    continue;
                }

                var pathEnds = false;
                foreach (var flowEvent in body.Events[ordinal])
                {
                    var matches = (flowEvent.Connection is not null && connections.Contains(flowEvent.Connection))
                        || (flowEvent.Transaction is not null && transactions.Contains(flowEvent.Transaction));
                    if (!matches)
                    {
                        continue;
                    }

                    connectionName = flowEvent.Connection?.Name ?? flowEvent.Transaction!.Name;
                    switch (flowEvent.Kind)
                    {
                        case FlowEventKind.Rollback:
                        case FlowEventKind.RollbackToSavepoint:
                        case FlowEventKind.BeginTransaction:
                        case FlowEventKind.Close:
                            pathEnds = true;
                            break;
                        case FlowEventKind.Execute when StartsWithRollback(flowEvent.Site!):
                            pathEnds = true;
                            break;
                        case FlowEventKind.Execute:
                            return $"a command at line {SiteSql.Line(flowEvent.Syntax)}";
                        case FlowEventKind.Commit:
                            return $"the commit at line {SiteSql.Line(flowEvent.Syntax)}";
                    }

                    if (pathEnds)
                    {
                        break;
                    }
                }

                if (pathEnds)
                {
                    continue;
                }

                var block = blocks[ordinal];
                if (block.FallThroughSuccessor?.Destination is { } next)
                {
                    queue.Enqueue(next.Ordinal);
                }

                if (block.ConditionalSuccessor?.Destination is { } branch)
                {
                    queue.Enqueue(branch.Ordinal);
                }
            }

            return null;
        }

        /// <summary>The transaction variable a savepoint fix can use: one DbTransaction local or parameter.</summary>
        private static string? SavepointTransaction(MethodModel model, HashSet<ResourceKey> connections, HashSet<ResourceKey> transactions)
        {
            var candidates = new HashSet<ResourceKey>(transactions);
            foreach (var connection in connections)
            {
                foreach (var transaction in model.TransactionsOf(connection))
                {
                    candidates.Add(transaction);
                }
            }

            string? name = null;
            foreach (var candidate in candidates)
            {
                var type = candidate.Symbol switch
                {
                    ILocalSymbol local => local.Type,
                    IParameterSymbol parameter => parameter.Type,
                    _ => null,
                };
                if (type is null || !DataAccessSymbols.DerivesOrImplements(type, model.Symbols.DbTransaction))
                {
                    continue;
                }

                if (name is not null && name != candidate.Symbol!.Name)
                {
                    return null; // ambiguous
                }

                name = candidate.Symbol!.Name;
            }

            return name;
        }

        private static bool StartsWithRollback(ExecutionSite site) =>
            site.Sql is { } sql && !sql.Script.Statements.IsEmpty && sql.Script.Statements[0].Kind is SqlStatementKind.Rollback or SqlStatementKind.RollbackToSavepoint;

        private static bool DeclaredOutside(ResourceKey transaction, ITryOperation tryOperation) =>
            transaction.Symbol is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.Length == 0
            || !OperationHelpers.IsWithin(local.DeclaringSyntaxReferences[0].GetSyntax(), tryOperation.Body.Syntax);

        private static SyntaxNode EnclosingBody(IOperation operation, MethodModel model)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return current.Syntax;
                }
            }

            return model.Root.Syntax;
        }

        /// <summary>Try/catch regions in pre-order, which is the source order of the try statements that have catches.</summary>
        private static void CollectTryCatchRegions(ControlFlowRegion region, List<ControlFlowRegion> result)
        {
            if (region.Kind == ControlFlowRegionKind.TryAndCatch)
            {
                result.Add(region);
            }

            foreach (var nested in region.NestedRegions)
            {
                CollectTryCatchRegions(nested, result);
            }
        }
    }
}
