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
    /// the connection or a command or reader made from it (splitting a final <c>return</c> so the result is read before
    /// the commit). Reuses a transaction the document has already begun on the connection, and never begins a second.
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

        /// <summary>
        /// The transaction already begun on the connection before <paramref name="statement"/> in the current document
        /// and not yet ended there: a local declared from <c>conn.BeginTransaction[Async]()</c> (or
        /// <c>db.Database.BeginTransaction[Async]()</c>) earlier in the block or an enclosing one, with no Commit,
        /// Rollback or Dispose on it in between. Fixes reuse it instead of beginning a second one.
        /// </summary>
        public static string? OpenTransaction(StatementSyntax statement, string connection)
        {
            for (SyntaxNode current = statement; current.Parent is not null; current = current.Parent)
            {
                if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
                {
                    return null;
                }

                if (current.Parent is UsingStatementSyntax { Declaration: { } usingDeclaration } && BeginsOn(usingDeclaration, connection) is { } inUsing)
                {
                    return inUsing;
                }

                if (current is not StatementSyntax inner || current.Parent is not BlockSyntax block)
                {
                    continue;
                }

                var statements = block.Statements;
                for (var i = statements.IndexOf(inner) - 1; i >= 0; i--)
                {
                    if (statements[i] is LocalDeclarationStatementSyntax declaration && BeginsOn(declaration.Declaration, connection) is { } name)
                    {
                        var ended = false;
                        for (var j = i + 1; j < statements.IndexOf(inner) && !ended; j++)
                        {
                            ended = Ends(statements[j], name);
                        }

                        return ended ? null : name;
                    }
                }
            }

            return null;
        }

        /// <summary>The variable a declaration assigns <c>connection.BeginTransaction[Async]()</c> (or through <c>.Database</c>) to.</summary>
        private static string? BeginsOn(VariableDeclarationSyntax declaration, string connection)
        {
            if (declaration.Variables.Count != 1 || declaration.Variables[0].Initializer?.Value is not { } value)
            {
                return null;
            }

            if (value is AwaitExpressionSyntax awaited)
            {
                value = awaited.Expression;
            }

            while (value is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: var inner } })
            {
                value = inner;
            }

            return value is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "BeginTransaction" or "BeginTransactionAsync" } begin }
                && (begin.Expression is IdentifierNameSyntax { Identifier.ValueText: var receiver } && receiver == connection
                    || begin.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Database", Expression: IdentifierNameSyntax { Identifier.ValueText: var context } } && context == connection)
                ? declaration.Variables[0].Identifier.ValueText
                : null;
        }

        /// <summary>Whether a statement commits, rolls back or disposes the transaction variable.</summary>
        private static bool Ends(StatementSyntax statement, string transaction) =>
            statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(i =>
                i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var method, Expression: IdentifierNameSyntax { Identifier.ValueText: var receiver } }
                && receiver == transaction
                && method is "Commit" or "CommitAsync" or "Rollback" or "RollbackAsync" or "Dispose" or "DisposeAsync");

        /// <summary>
        /// The names that stand for the connection in a block: the connection, and locals declared from an expression
        /// that mentions it or another of them (<c>using var cmd = new NpgsqlCommand(sql, conn);</c>, its reader).
        /// </summary>
        public static HashSet<string> Aliases(BlockSyntax block, string connection)
        {
            var names = new HashSet<string>(System.StringComparer.Ordinal) { connection };
            var changed = true;
            while (changed)
            {
                changed = false;
                foreach (var declarator in block.DescendantNodes().OfType<VariableDeclaratorSyntax>())
                {
                    if (declarator.Initializer is { } initializer && !names.Contains(declarator.Identifier.ValueText) && names.Any(n => SyntaxHelpers.Mentions(initializer, n)))
                    {
                        changed |= names.Add(declarator.Identifier.ValueText);
                    }
                }
            }

            return names;
        }

        /// <summary>
        /// Runs the block's work on the connection from <paramref name="first"/> on in one transaction, with the
        /// statements <paramref name="write"/> gives for the transaction variable right after its begin. Where the block
        /// already begins one on the connection further down (another fix's), that begin moves up to
        /// <paramref name="first"/> instead: never a second transaction. Decided here (null when it cannot be done
        /// safely); what is returned writes the new block.
        /// </summary>
        public static System.Func<CancellationToken, BlockSyntax>? Wrap(BlockSyntax block, StatementSyntax first, string connection, bool isDbContext, SemanticModel model, System.Func<string?, IEnumerable<string>> write)
        {
            var statements = block.Statements;
            var start = statements.IndexOf(first);
            for (var k = start + 1; k < statements.Count; k++)
            {
                if (statements[k] is LocalDeclarationStatementSyntax declaration && BeginsOn(declaration.Declaration, connection) is { } later)
                {
                    var between = statements.Skip(start).Take(k - start).ToList();
                    if (between.Any(s => s.DescendantNodesAndSelf().OfType<VariableDeclarationSyntax>().Any(d => BeginsOn(d, connection) is not null)))
                    {
                        return null;
                    }

                    var end = k;
                    return cancellationToken => MoveBegin(block, first, declaration, between, end, connection, isDbContext, later, model, write, cancellationToken);
                }
            }

            var plan = Create(model, first, connection, isDbContext);
            return plan is null ? null : cancellationToken => Apply(block, first, plan, model, write(isDbContext ? null : plan.Transaction), cancellationToken);
        }

        /// <summary>
        /// The block with the begin of <paramref name="later"/> (the declaration at <paramref name="end"/>) moved up to
        /// <paramref name="first"/>, the statements <paramref name="write"/> gives after it, and the statements in
        /// between passing the transaction.
        /// </summary>
        private static BlockSyntax MoveBegin(BlockSyntax block, StatementSyntax first, LocalDeclarationStatementSyntax declaration, List<StatementSyntax> between, int end, string connection, bool isDbContext, string later, SemanticModel model, System.Func<string?, IEnumerable<string>> write, CancellationToken cancellationToken)
        {
            var statements = block.Statements;
            var start = statements.IndexOf(first);
            var moved = new List<StatementSyntax> { declaration.WithLeadingTrivia(first.GetLeadingTrivia()) };
            moved.AddRange(write(isDbContext ? null : later).Select(text => SyntaxHelpers.Statement(text, first)));
            var indentation = first.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
            for (var i = 0; i < between.Count; i++)
            {
                var statement = isDbContext ? between[i] : PassTransaction(between[i], connection, later, model, cancellationToken);
                moved.Add(i == 0 ? statement.WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation)) : statement);
            }

            var result = statements.Take(start).Concat(moved).Concat(statements.Skip(end + 1));
            return block.WithStatements(SyntaxFactory.List(result));
        }

        /// <summary>Decides how to open a transaction on the connection, or null when it cannot be done safely here.</summary>
        public static Plan? Create(SemanticModel model, StatementSyntax statement, string connection, bool isDbContext)
        {
            var symbol = model.LookupSymbols(statement.SpanStart, name: connection).FirstOrDefault();
            var type = SyntaxHelpers.TypeOf(symbol);
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
            var aliases = Aliases(block, plan.Connection);
            for (var i = start; i < statements.Count; i++)
            {
                if (aliases.Any(name => SyntaxHelpers.Mentions(statements[i], name)))
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
                var statement = plan.IsDbContext ? statements[i] : PassTransaction(statements[i], plan.Connection, plan.Transaction, model, cancellationToken);
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
        public static StatementSyntax PassTransaction(StatementSyntax statement, string connection, string transactionName, SemanticModel model, CancellationToken cancellationToken) =>
            PassTransaction(statement, CallsWithoutTransaction(statement, connection, model, cancellationToken), transactionName);

        /// <summary>Adds <c>transaction: tx</c> to <paramref name="calls"/>, Dapper calls in the statement.</summary>
        public static StatementSyntax PassTransaction(StatementSyntax statement, List<InvocationExpressionSyntax> calls, string transactionName) =>
            statement.ReplaceNodes(calls, (original, _) => original.WithArgumentList(original.ArgumentList.AddArguments(
                SyntaxHelpers.NamedArgument("transaction", SyntaxFactory.IdentifierName(transactionName)).WithLeadingTrivia(SyntaxFactory.Space))));

        /// <summary>The Dapper calls on the connection in the statement that pass no transaction.</summary>
        public static List<InvocationExpressionSyntax> CallsWithoutTransaction(StatementSyntax statement, string connection, SemanticModel model, CancellationToken cancellationToken)
        {
            var targets = new List<InvocationExpressionSyntax>();
            foreach (var invocation in statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
                    || operation.TargetMethod.ContainingType?.Name != "SqlMapper"
                    || operation.Arguments.Length == 0
                    || operation.Arguments[0].Value.Syntax is not IdentifierNameSyntax receiver
                    || receiver.Identifier.ValueText != connection)
                {
                    continue;
                }

                var transaction = operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "transaction");
                if (transaction is { ArgumentKind: ArgumentKind.DefaultValue })
                {
                    targets.Add(invocation);
                }
            }

            return targets;
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
