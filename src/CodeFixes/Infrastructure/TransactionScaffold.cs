using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Infrastructure;

namespace TenantGuard.CodeFixes.Infrastructure
{
    /// <summary>
    /// Opens a transaction around the statements of a block that use a connection: begins it before a statement,
    /// passes it to the Dapper calls on that connection that follow, and commits after the last statement that uses
    /// the connection (splitting a final <c>return</c> so the result is read before the commit).
    /// </summary>
    internal static class TransactionScaffold
    {
        public sealed class Plan
        {
            public Plan(string connection, bool isDbContext, bool async, string transaction)
            {
                Connection = connection;
                IsDbContext = isDbContext;
                Async = async;
                Transaction = transaction;
            }

            public string Connection { get; }

            public bool IsDbContext { get; }

            public bool Async { get; }

            public string Transaction { get; }

            public string Begin => (IsDbContext, Async) switch
            {
                (true, true) => $"await using var {Transaction} = await {Connection}.Database.BeginTransactionAsync();",
                (true, false) => $"using var {Transaction} = {Connection}.Database.BeginTransaction();",
                (false, true) => $"await using var {Transaction} = await {Connection}.BeginTransactionAsync();",
                _ => $"using var {Transaction} = {Connection}.BeginTransaction();",
            };

            public string Commit => Async ? $"await {Transaction}.CommitAsync();" : $"{Transaction}.Commit();";
        }

        /// <summary>
        /// Where a fix at an execution call works: the connection (or DbContext) variable the rule named, and the
        /// statement and block around the call. False for data-source commands and batches, whose connection is not a
        /// variable of the method.
        /// </summary>
        public static bool TryLocate(Diagnostic diagnostic, SyntaxNode target, out string connection, out bool isDbContext, out StatementSyntax statement, out BlockSyntax block)
        {
            var properties = diagnostic.Properties;
            connection = properties.TryGetValue(FixProperties.Connection, out var name) && name is not null ? name : string.Empty;
            isDbContext = properties.TryGetValue(FixProperties.ConnectionKind, out var kind) && kind == "dbcontext";
            statement = null!;
            block = null!;
            if (connection.Length == 0 || (properties.TryGetValue(FixProperties.SiteKind, out var site) && site is "DataSourceCommand" or "Batch"))
            {
                return false;
            }

            var found = SyntaxHelpers.StatementInBlock(target, out var foundBlock);
            if (found is null || foundBlock is null)
            {
                return false;
            }

            statement = found;
            block = foundBlock;
            return true;
        }

        /// <summary>Decides how to open a transaction on the connection, or null when it cannot be done safely here.</summary>
        public static Plan? Create(SemanticModel model, StatementSyntax statement, string connection, bool isDbContext)
        {
            var symbol = model.LookupSymbols(statement.SpanStart, name: connection).FirstOrDefault();
            var type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };
            if (type is null)
            {
                return null;
            }

            var async = SyntaxHelpers.IsInAsyncFunction(statement);
            if (async && !isDbContext && !HasMethod(type, "BeginTransactionAsync"))
            {
                async = false; // IDbConnection has no async API
            }

            return new Plan(connection, isDbContext, async, SyntaxHelpers.UniqueName(model, statement.SpanStart, "tx"));
        }

        /// <summary>
        /// The block's statements with the transaction begun before <paramref name="first"/> (after
        /// <paramref name="before"/> statements, when given), passed to later Dapper calls, and committed.
        /// </summary>
        public static BlockSyntax Apply(BlockSyntax block, StatementSyntax first, Plan plan, SemanticModel model, IEnumerable<string> before, CancellationToken cancellationToken)
        {
            var statements = block.Statements.ToList();
            var start = statements.IndexOf(first);
            var last = start;
            for (var i = start; i < statements.Count; i++)
            {
                if (SyntaxHelpers.Mentions(statements[i], plan.Connection))
                {
                    last = i;
                }
            }

            var result = new List<StatementSyntax>(statements.Take(start))
            {
                SyntaxHelpers.Statement(plan.Begin, first),
            };
            result.AddRange(before.Select(text => SyntaxHelpers.Statement(text, first)));
            for (var i = start; i <= last; i++)
            {
                var statement = plan.IsDbContext ? statements[i] : PassTransaction(statements[i], plan, model, cancellationToken);
                if (i == last && statement is ReturnStatementSyntax { Expression: { } returned })
                {
                    var name = SyntaxHelpers.UniqueName(model, statements[i].SpanStart, "result");
                    result.Add(SyntaxHelpers.Statement($"var {name} = {returned.ToString()};", statements[i]).WithLeadingTrivia(statement.GetLeadingTrivia()));
                    result.Add(SyntaxHelpers.Statement(plan.Commit, statements[i]));
                    result.Add(SyntaxHelpers.Statement($"return {name};", statements[i]));
                    continue;
                }

                result.Add(statement);
                if (i == last)
                {
                    result.Add(SyntaxHelpers.Statement(plan.Commit, statements[i]));
                }
            }

            result.AddRange(statements.Skip(last + 1));
            return block.WithStatements(SyntaxFactory.List(result));
        }

        /// <summary>Adds <c>transaction: tx</c> to the Dapper calls on the connection that pass none.</summary>
        private static StatementSyntax PassTransaction(StatementSyntax statement, Plan plan, SemanticModel model, CancellationToken cancellationToken)
        {
            var targets = new List<InvocationExpressionSyntax>();
            foreach (var invocation in statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
                    || operation.TargetMethod.ContainingType?.Name != "SqlMapper"
                    || operation.Arguments.Length == 0
                    || operation.Arguments[0].Value.Syntax is not IdentifierNameSyntax receiver
                    || receiver.Identifier.ValueText != plan.Connection)
                {
                    continue;
                }

                var transaction = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "transaction");
                if (transaction is { ArgumentKind: ArgumentKind.DefaultValue })
                {
                    targets.Add(invocation);
                }
            }

            return statement.ReplaceNodes(targets, (original, _) => original.WithArgumentList(original.ArgumentList.AddArguments(
                SyntaxHelpers.NamedArgument("transaction", SyntaxFactory.IdentifierName(plan.Transaction)).WithLeadingTrivia(SyntaxFactory.Space))));
        }

        private static bool HasMethod(ITypeSymbol type, string name)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.GetMembers(name).Length > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
