using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Infrastructure;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;

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
            bool? inTest = null;
            foreach (var tryOperation in model.Tries)
            {
                if (!ExecutesSql(tryOperation.Body, model))
                {
                    continue;
                }

                var setting = TenantSettingApplied(tryOperation.Body, model, analysis.Options);
                if (setting is null && OnlyRuns(tryOperation.Body, model, IsSchemaOrReadStatement))
                {
                    continue; // try { DROP TABLE t } catch { }, a probe that reads with a fallback: no write is lost
                }

                foreach (var clause in tryOperation.Catches)
                {
                    if (clause.Filter is not null
                        || !analysis.Symbols.CatchesDatabaseErrors(clause.ExceptionType)
                        || IsAbortedTransactionReuse(clause, analysis))
                    {
                        continue;
                    }

                    var name = clause.Locals.Length > 0 ? $"'{clause.Locals[0].Name}'" : "the exception";

                    // The setting may have failed: whatever runs after the catch runs without the tenant, logged or not.
                    if (setting is not null && !Rethrows(clause) && HandlerFallsThrough(clause) && WorkFollows(tryOperation, model))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(
                            Descriptors.TG1003_SwallowedDatabaseError,
                            MethodModel.CatchLocation(clause),
                            ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Setting, setting),
                            $"its try block applies the tenant setting '{setting}', and when that fails the code after the catch runs without it, logged or not; rethrow, or leave the method"));
                        continue;
                    }

                    if (Handles(clause, model) || ((inTest ??= IsTestMethod(analysis.Block)) && (Asserts(tryOperation, clause, analysis.Block) || RollsBack(clause, model))))
                    {
                        continue;
                    }

                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TG1003_SwallowedDatabaseError,
                        MethodModel.CatchLocation(clause),
                        $"it neither rethrows nor logs, passes, stores or returns {name}"));
                }
            }
        }

        /// <summary>The events of a body's invocations, in order, not entering its lambdas and local functions.</summary>
        private static IEnumerable<FlowEvent> EventsIn(IOperation body, MethodModel model)
        {
            foreach (var operation in OperationHelpers.DescendantsInBody(body))
            {
                if (operation is IInvocationOperation && model.EventAt(operation.Syntax) is { } flowEvent)
                {
                    yield return flowEvent;
                }
            }
        }

        /// <summary>Whether an event executes SQL whose first statement is of this kind (ROLLBACK, ROLLBACK TO SAVEPOINT).</summary>
        private static bool ExecutesFirst(FlowEvent flowEvent, SqlStatementKind kind) =>
            flowEvent.Kind == FlowEventKind.Execute && flowEvent.Site?.Sql is { } sql && !sql.Script.Statements.IsEmpty && sql.Script.Statements[0].Kind == kind;

        /// <summary>The tenant setting an execution of the try block (not of its lambdas) applies, or null.</summary>
        private static string? TenantSettingApplied(IOperation body, MethodModel model, TenantGuardOptions options)
        {
            foreach (var flowEvent in EventsIn(body, model))
            {
                if (flowEvent.Kind == FlowEventKind.Execute && SiteSql.TenantSettingIn(flowEvent.Site!, options) is { } setting)
                {
                    return setting;
                }
            }

            return null;
        }

        /// <summary>
        /// Whether every execution of the try block is known SQL whose statements all pass <paramref name="test"/>.
        /// </summary>
        private static bool OnlyRuns(IOperation body, MethodModel model, System.Func<SqlStatement, bool> test)
        {
            var any = false;
            foreach (var flowEvent in EventsIn(body, model))
            {
                if (flowEvent.Kind != FlowEventKind.Execute)
                {
                    continue;
                }

                if (flowEvent.Site?.Sql is not { } sql || sql.Script.Statements.IsEmpty)
                {
                    return false;
                }

                foreach (var statement in sql.Script.Statements)
                {
                    if (!test(statement))
                    {
                        return false;
                    }
                }

                any = true;
            }

            return any;
        }

        /// <summary>
        /// DDL (CREATE, DROP, ALTER, TRUNCATE, COMMENT: a test's "drop the table if it is there") or a plain read (a probe with a
        /// fallback: SELECT compatibility_level, a health count). No row is lost when either fails; the rule is about writes.
        /// </summary>
        private static bool IsSchemaOrReadStatement(SqlStatement statement) =>
            IsSchemaStatement(statement)
            || (statement.Kind == SqlStatementKind.Other && statement.Settings.IsEmpty && statement.Command == "select");

        private static bool IsSchemaStatement(SqlStatement statement)
        {
            var script = statement.Script;
            var first = statement.Tokens.Length > 0 ? script.IdentifierValue(statement.Tokens[0]) : null;
            return first is "create" or "drop" or "alter" or "truncate" or "comment";
        }

        /// <summary>
        /// Whether SQL runs after the try statement: in a statement that follows it (in its block or an enclosing one) before
        /// a return, throw, break or continue ends the way (the work that would run without the tenant).
        /// </summary>
        private static bool WorkFollows(ITryOperation tryOperation, MethodModel model)
        {
            SyntaxNode node = tryOperation.Syntax;
            while (node.Parent is { } parent)
            {
                if (parent is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)
                {
                    return false;
                }

                if (parent is BlockSyntax block)
                {
                    var after = false;
                    foreach (var statement in block.Statements)
                    {
                        if (statement == node)
                        {
                            after = true;
                            continue;
                        }

                        if (!after)
                        {
                            continue;
                        }

                        foreach (var site in model.Sites)
                        {
                            if (statement.Span.Contains(site.Syntax.Span))
                            {
                                return true;
                            }
                        }

                        if (statement is ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax)
                        {
                            return false;
                        }
                    }
                }

                node = parent;
            }

            return false;
        }

        /// <summary>
        /// Whether the handler rolls the transaction back (API or SQL). In a test that is the point (a test that rollback
        /// works after a failure); in application code a rollback that nobody hears of is still a lost write.
        /// </summary>
        private static bool RollsBack(ICatchClauseOperation clause, MethodModel model)
        {
            foreach (var flowEvent in EventsIn(clause.Handler, model))
            {
                // Rollback events also stand for a transaction's Dispose: only a Rollback call counts here.
                if ((flowEvent.Kind == FlowEventKind.Rollback && flowEvent.Invocation.TargetMethod.Name.StartsWith("Rollback", System.StringComparison.Ordinal))
                    || ExecutesFirst(flowEvent, SqlStatementKind.Rollback))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Rethrows(ICatchClauseOperation clause)
        {
            foreach (var operation in OperationHelpers.DescendantsInBody(clause.Handler))
            {
                if (operation is IThrowOperation)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether the handler can end normally, so that the code after the try statement runs.</summary>
        private static bool HandlerFallsThrough(ICatchClauseOperation clause)
        {
            if (clause.Handler.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax block || clause.SemanticModel is not { } semanticModel)
            {
                return true;
            }

            var flow = semanticModel.AnalyzeControlFlow(block);
            return flow is null || !flow.Succeeded || flow.EndPointIsReachable;
        }

        /// <summary>The test frameworks' test attributes (derived attributes count: Theory is a Fact).</summary>
        private static readonly ImmutableHashSet<string> TestAttributes = ImmutableHashSet.Create(
            "Xunit.FactAttribute",
            "NUnit.Framework.TestAttribute",
            "NUnit.Framework.TestCaseAttribute",
            "NUnit.Framework.TestCaseSourceAttribute",
            "NUnit.Framework.TheoryAttribute",
            "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute");

        private static bool IsTestMethod(IOperation block)
        {
            var syntax = block.Syntax;
            var semanticModel = block.SemanticModel;
            if (semanticModel is null)
            {
                return false;
            }

            for (var node = syntax; node is not null; node = node.Parent)
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax declaration)
                {
                    if (semanticModel.GetDeclaredSymbol(declaration) is not IMethodSymbol method)
                    {
                        return false;
                    }

                    foreach (var attribute in method.GetAttributes())
                    {
                        for (var type = attribute.AttributeClass; type is not null; type = type.BaseType)
                        {
                            if (TestAttributes.Contains(type.ToDisplayString()))
                            {
                                return true;
                            }
                        }
                    }

                    return false;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether the try block or the handler asserts (a test that expects the failure: Assert.*, *Assert.*, FluentAssertions'
        /// Should(), Shouldly's Should*).
        /// </summary>
        private static bool Asserts(ITryOperation tryOperation, ICatchClauseOperation clause, IOperation method)
        {
            if (ContainsAssertion(tryOperation.Body, null) || ContainsAssertion(clause.Handler, null))
            {
                return true;
            }

            // catch { gotException = true; } ... Assert.True(gotException): the flag the handler sets is asserted on.
            var flags = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in OperationHelpers.DescendantsInBody(clause.Handler))
            {
                if (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation flag })
                {
                    flags.Add(flag.Local);
                }
            }

            return flags.Count > 0 && ContainsAssertion(method, flags);
        }

        /// <summary>An assertion in the body; with <paramref name="about"/>, one whose arguments read one of these locals.</summary>
        private static bool ContainsAssertion(IOperation root, HashSet<ILocalSymbol>? about)
        {
            foreach (var operation in OperationHelpers.DescendantsInBody(root))
            {
                if (operation is not IInvocationOperation { TargetMethod: var method } invocation
                    || !(method.ContainingType?.Name.EndsWith("Assert", System.StringComparison.Ordinal) == true
                        || method.Name.StartsWith("Should", System.StringComparison.Ordinal)))
                {
                    continue;
                }

                if (about is null)
                {
                    return true;
                }

                foreach (var read in invocation.Descendants())
                {
                    if (read is ILocalReferenceOperation local && about.Contains(local.Local))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        internal static bool ExecutesSql(IOperation body, MethodModel model)
        {
            foreach (var flowEvent in EventsIn(body, model))
            {
                if (flowEvent.Kind == FlowEventKind.Execute)
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
            if (Rethrows(clause))
            {
                return true;
            }

            foreach (var flowEvent in EventsIn(clause.Handler, model))
            {
                if (flowEvent.Kind == FlowEventKind.RollbackToSavepoint || ExecutesFirst(flowEvent, SqlStatementKind.RollbackToSavepoint))
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
