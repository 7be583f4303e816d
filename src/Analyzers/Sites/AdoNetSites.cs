using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Model;
using TenantGuard.Analyzers.Sql;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Sites
{
    /// <summary>
    /// ADO.NET and Npgsql execution sites: a command or batch executed, with the text, connection and transaction it was
    /// given (constructor, initializer, property assignments, the project's helpers that write its text).
    /// </summary>
    internal sealed class AdoNetSites : ISiteRecognizer
    {
        public ExecutionSite? TryCreate(IInvocationOperation invocation, MethodModel model)
        {
            var method = invocation.TargetMethod;
            if (!method.Name.StartsWith("Execute", StringComparison.Ordinal) || invocation.Instance is null)
            {
                return null;
            }

            var position = invocation.Syntax.SpanStart;
            if (model.IsOtherProvider(invocation.Instance, position))
            {
                return null;
            }

            if (model.Symbols.IsCommand(invocation.Instance.Type))
            {
                var facts = CommandFacts(model, invocation.Instance, position);
                if (model.IsOtherProvider(facts.Connection, position))
                {
                    return null;
                }

                var site = CreateAdoSite(model, invocation, facts, facts.WrittenText ?? (facts.Text is null ? null : SqlTextResolver.Resolve(facts.Text, model, bound: false)) ?? facts.ReturnedText);
                if (facts.WrittenText is not null)
                {
                    return site;
                }

                var alternatives = facts.AlternativeTexts is { } branches ? ResolveAll(model, branches) : System.Collections.Immutable.ImmutableArray<SqlSource>.Empty;
                if (site.Sql is null && facts.Text is not null)
                {
                    alternatives = alternatives.AddRange(SqlTextResolver.Branches(facts.Text, model));
                }

                return alternatives.IsEmpty ? site : site.WithAlternatives(alternatives);
            }

            if (model.Symbols.IsBatch(invocation.Instance.Type))
            {
                var facts = CommandFacts(model, invocation.Instance, position);
                return CreateAdoSite(model, invocation, facts, BatchSql(model, invocation.Instance, position, facts));
            }

            return null;
        }

        public ExecutionSite? TryCreateEnumerated(IOperation collection, MethodModel model) => null;

        private static ExecutionSite CreateAdoSite(MethodModel model, IInvocationOperation invocation, Facts facts, SqlSource? sql)
        {
            var transaction = model.KeyOf(facts.Transaction);
            if (facts.FromDataSource)
            {
                return new ExecutionSite(invocation, SiteKind.DataSourceCommand, ResourceKey.ForDataSource(invocation.Syntax), transaction, sql);
            }

            var connection = model.KeyOf(facts.Connection) ?? model.ConnectionOfTransaction(transaction);
            var kind = model.Symbols.IsBatch(invocation.Instance!.Type) ? SiteKind.Batch : SiteKind.Command;
            return new ExecutionSite(invocation, kind, connection, transaction, sql);
        }

        /// <summary>What is known of a command (or batch) at a position: its text, connection and transaction.</summary>
        private sealed class Facts
        {
            public IOperation? Text { get; set; }

            /// <summary>CommandText assigned in other branches than <see cref="Text"/> (see <see cref="ExecutionSite.Alternatives"/>); null when none.</summary>
            public List<IOperation>? AlternativeTexts { get; set; }

            /// <summary>The text a helper of the project wrote into the command after its last own CommandText assignment.</summary>
            public SqlSource? WrittenText { get; set; }

            /// <summary>The text of the command as the project's method that created and returned it left it (mapped to the call).</summary>
            public SqlSource? ReturnedText { get; set; }

            public IOperation? Connection { get; set; }

            public IOperation? Transaction { get; set; }

            public bool FromDataSource { get; set; }

            public IObjectOrCollectionInitializerOperation? Initializer { get; set; }

            public int CreatedAt { get; set; } = -1;
        }

        /// <summary>The text a command expression has at a position (its creation, initializer, assignments, helpers), if known.</summary>
        public static SqlSource? CommandTextAt(MethodModel model, IOperation command, int position)
        {
            var facts = CommandFacts(model, command, position);
            return facts.WrittenText ?? (facts.Text is null ? null : SqlTextResolver.Resolve(facts.Text, model, bound: false)) ?? facts.ReturnedText;
        }

        private static Facts CommandFacts(MethodModel model, IOperation receiver, int position)
        {
            var facts = new Facts();
            var unwrapped = Unwrap(receiver);
            if (unwrapped is ILocalReferenceOperation local)
            {
                var (createdAt, creation) = model.LastAssignment(local.Local, position);
                if (creation is not null)
                {
                    ApplyCreation(model, facts, creation);
                    facts.CreatedAt = createdAt;
                }

                Overlay(model, facts, local.Local, "CommandText", createdAt, position, (f, v) => f.Text = v);
                facts.AlternativeTexts = BranchAlternatives(model, local.Local, "CommandText", createdAt, position);
                facts.WrittenText = TextWrittenByHelper(model, local.Local, createdAt, position);
                Overlay(model, facts, local.Local, "Connection", createdAt, position, (f, v) => f.Connection = v);
                Overlay(model, facts, local.Local, "Transaction", createdAt, position, (f, v) => f.Transaction = v);
            }
            else if (unwrapped is not null)
            {
                ApplyCreation(model, facts, unwrapped);
            }

            return facts;
        }

        /// <summary>
        /// The SQL text the last hand-over of a command local to one of the project's methods wrote (between its creation and
        /// the execution, and after its last CommandText assignment here), mapped to that call.
        /// </summary>
        private static SqlSource? TextWrittenByHelper(MethodModel model, ILocalSymbol command, int after, int before)
        {
            if (model.CommandHandOvers(command) is not { } handOvers)
            {
                return null;
            }

            var lastOwn = -1;
            if (model.MemberAssignments(command, "CommandText") is { } assignments)
            {
                foreach (var (position, _) in assignments)
                {
                    if (position > after && position < before && position > lastOwn)
                    {
                        lastOwn = position;
                    }
                }
            }

            SqlSource? text = null;
            var at = System.Math.Max(after, lastOwn);
            foreach (var (position, call, ordinal) in handOvers)
            {
                if (position > at && position < before && model.Summaries.CommandTextWrittenBy(call.TargetMethod, ordinal) is { } written)
                {
                    text = written.MappedTo(call.Syntax);
                    at = position;
                }
            }

            return text;
        }

        /// <summary>
        /// The values assigned to a member between two positions in another branch of an <c>if</c> or <c>switch</c> than
        /// the last assignment, where that statement does not contain the execution: each is the last of its branch, and
        /// the command may run with it. Null when there is none (the usual case: one assignment, or assignments in a row).
        /// </summary>
        private static List<IOperation>? BranchAlternatives(MethodModel model, ILocalSymbol local, string member, int after, int before)
        {
            if (model.MemberAssignments(local, member) is not { Count: >= 2 } assignments)
            {
                return null;
            }

            var window = new List<(int Position, IOperation Value)>();
            foreach (var assignment in assignments)
            {
                if (assignment.Position > after && assignment.Position < before)
                {
                    window.Add(assignment);
                }
            }

            if (window.Count < 2)
            {
                return null;
            }

            window.Sort((a, b) => a.Position.CompareTo(b.Position));
            var last = window[window.Count - 1].Value.Syntax;
            List<IOperation>? result = null;
            for (var i = 0; i < window.Count - 1; i++)
            {
                var candidate = window[i].Value.Syntax;
                if (!Exclusive(candidate, last, before))
                {
                    continue;
                }

                // Overwritten later on its own path (an assignment after it that is not in another branch): not sent.
                var overwritten = false;
                for (var j = i + 1; j < window.Count - 1 && !overwritten; j++)
                {
                    overwritten = !Exclusive(candidate, window[j].Value.Syntax, before);
                }

                if (!overwritten && !IsNullOrDefault(window[i].Value))
                {
                    (result ??= new List<IOperation>()).Add(window[i].Value);
                }
            }

            return result;
        }

        /// <summary>
        /// Whether two places are in different branches of one <c>if</c> (then and else) or <c>switch</c> (two sections)
        /// that ends before the position: on no path do both run.
        /// </summary>
        private static bool Exclusive(SyntaxNode a, SyntaxNode b, int position)
        {
            foreach (var ancestor in a.Ancestors())
            {
                switch (ancestor)
                {
                    case Microsoft.CodeAnalysis.CSharp.Syntax.IfStatementSyntax branch when branch.Else is { } otherwise && branch.Span.End <= position:
                        if ((branch.Statement.Span.Contains(a.Span) && otherwise.Span.Contains(b.Span))
                            || (otherwise.Span.Contains(a.Span) && branch.Statement.Span.Contains(b.Span)))
                        {
                            return true;
                        }

                        break;
                    case Microsoft.CodeAnalysis.CSharp.Syntax.SwitchSectionSyntax section when section.Parent is { } @switch && @switch.Span.End <= position:
                        if (@switch.Span.Contains(b.Span) && !section.Span.Contains(b.Span))
                        {
                            return true;
                        }

                        break;
                }
            }

            return false;
        }

        private static System.Collections.Immutable.ImmutableArray<SqlSource> ResolveAll(MethodModel model, List<IOperation> texts)
        {
            var result = System.Collections.Immutable.ImmutableArray.CreateBuilder<SqlSource>();
            foreach (var text in texts)
            {
                if (SqlTextResolver.Resolve(text, model, bound: false) is { } sql)
                {
                    result.Add(sql);
                }
            }

            return result.ToImmutable();
        }

        private static void Overlay(MethodModel model, Facts facts, ILocalSymbol local, string member, int after, int before, Action<Facts, IOperation?> set)
        {
            if (model.MemberAssignments(local, member) is not { } assignments)
            {
                return;
            }

            var best = -1;
            foreach (var (position, value) in assignments)
            {
                if (position > after && position < before && position > best)
                {
                    best = position;
                    set(facts, IsNullOrDefault(value) ? null : value);
                }
            }
        }

        private static void ApplyCreation(MethodModel model, Facts facts, IOperation value)
        {
            switch (Unwrap(value, throughAwait: true))
            {
                case IObjectCreationOperation creation:
                    foreach (var argument in creation.Arguments)
                    {
                        if (argument.Parameter is not { } parameter || IsNullOrDefault(argument.Value))
                        {
                            continue;
                        }

                        if (parameter.Type.SpecialType == SpecialType.System_String)
                        {
                            facts.Text = argument.Value;
                        }
                        else if (model.Symbols.IsConnection(parameter.Type))
                        {
                            facts.Connection = argument.Value;
                        }
                        else if (model.Symbols.IsTransaction(parameter.Type))
                        {
                            facts.Transaction = argument.Value;
                        }
                    }

                    if (creation.Initializer is { } initializer)
                    {
                        facts.Initializer = initializer;
                        foreach (var member in initializer.Initializers)
                        {
                            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment && !IsNullOrDefault(assignment.Value))
                            {
                                switch (property.Property.Name)
                                {
                                    case "CommandText":
                                        facts.Text = assignment.Value;
                                        break;
                                    case "Connection":
                                        facts.Connection = assignment.Value;
                                        break;
                                    case "Transaction":
                                        facts.Transaction = assignment.Value;
                                        break;
                                }
                            }
                        }
                    }

                    break;
                case IInvocationOperation { TargetMethod: var method } own when !MethodModel.IsLibraryMethod(method) && model.Summaries.CommandTextReturnedBy(method) is { } returned:
                    // A command made by one of the project's methods (CreateCommand(connection) writing its text).
                    facts.ReturnedText = returned.MappedTo(own.Syntax);
                    break;
                case IInvocationOperation { TargetMethod.Name: "CreateCommand" or "CreateBatch" or "CreateBatchCommand", Instance: { } owner } invocation:
                    if (model.Symbols.IsDataSource(owner.Type))
                    {
                        facts.FromDataSource = true;
                        foreach (var argument in invocation.Arguments)
                        {
                            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String && !IsNullOrDefault(argument.Value))
                            {
                                facts.Text = argument.Value;
                            }
                        }
                    }
                    else if (model.Symbols.IsConnection(owner.Type))
                    {
                        facts.Connection = owner;
                    }

                    break;
            }
        }

        private static SqlSource? BatchSql(MethodModel model, IOperation receiver, int position, Facts facts)
        {
            var commands = new List<IOperation>();
            if (facts.Initializer is not null)
            {
                foreach (var operation in facts.Initializer.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "Add" } add && add.Arguments.Length == 1 && model.Symbols.IsBatchCommand(add.Arguments[0].Value.Type))
                    {
                        commands.Add(add.Arguments[0].Value);
                    }
                }
            }

            if (Unwrap(receiver) is ILocalReferenceOperation batch && model.BatchAdds(batch.Local) is { } adds)
            {
                foreach (var (addedAt, command) in adds)
                {
                    if (addedAt > facts.CreatedAt && addedAt < position)
                    {
                        commands.Add(command);
                    }
                }
            }

            if (commands.Count == 0)
            {
                return null;
            }

            var builder = new SqlSource.Builder();
            foreach (var command in commands)
            {
                var text = CommandFacts(model, command, command.Syntax.Span.End + 1).Text;
                var source = text is null ? null : SqlTextResolver.Resolve(text, model, bound: false);
                builder.AppendSeparator();
                if (source is null)
                {
                    builder.AppendHole(command, bound: false);
                }
                else
                {
                    builder.AppendSource(source);
                }
            }

            return builder.ToSource();
        }
    }
}
