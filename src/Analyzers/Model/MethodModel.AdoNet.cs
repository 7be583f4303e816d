using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using TenantGuard.Analyzers.Sql;
using static TenantGuard.Analyzers.Model.OperationHelpers;

namespace TenantGuard.Analyzers.Model
{
    /// <summary>
    /// ADO.NET and Npgsql execution sites: a command or batch executed, with the text, connection and transaction it was
    /// given (constructor, initializer, property assignments, the project's helpers that write its text).
    /// </summary>
    internal sealed partial class MethodModel
    {
        private ExecutionSite CreateAdoSite(IInvocationOperation invocation, Facts facts, SqlSource? sql)
        {
            var transaction = KeyOf(facts.Transaction);
            if (facts.FromDataSource)
            {
                return new ExecutionSite(invocation, SiteKind.DataSourceCommand, ResourceKey.ForDataSource(invocation.Syntax), transaction, sql);
            }

            var connection = KeyOf(facts.Connection) ?? ConnectionOfTransaction(transaction);
            var kind = _symbols.IsBatch(invocation.Instance!.Type) ? SiteKind.Batch : SiteKind.Command;
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
        internal SqlSource? CommandTextAt(IOperation command, int position)
        {
            var facts = CommandFacts(command, position);
            return facts.WrittenText ?? (facts.Text is null ? null : SqlTextResolver.Resolve(facts.Text, this, bound: false)) ?? facts.ReturnedText;
        }

        private Facts CommandFacts(IOperation receiver, int position)
        {
            var facts = new Facts();
            var unwrapped = Unwrap(receiver);
            if (unwrapped is ILocalReferenceOperation local)
            {
                var (createdAt, creation) = LastAssignment(local.Local, position);
                if (creation is not null)
                {
                    ApplyCreation(facts, creation);
                    facts.CreatedAt = createdAt;
                }

                Overlay(facts, local.Local, "CommandText", createdAt, position, (f, v) => f.Text = v);
                facts.AlternativeTexts = BranchAlternatives(local.Local, "CommandText", createdAt, position);
                facts.WrittenText = TextWrittenByHelper(local.Local, createdAt, position);
                Overlay(facts, local.Local, "Connection", createdAt, position, (f, v) => f.Connection = v);
                Overlay(facts, local.Local, "Transaction", createdAt, position, (f, v) => f.Transaction = v);
            }
            else if (unwrapped is not null)
            {
                ApplyCreation(facts, unwrapped);
            }

            return facts;
        }

        /// <summary>
        /// The SQL text the last hand-over of a command local to one of the project's methods wrote (between its creation and
        /// the execution, and after its last CommandText assignment here), mapped to that call.
        /// </summary>
        private SqlSource? TextWrittenByHelper(ILocalSymbol command, int after, int before)
        {
            if (_commandHandOvers is null || !_commandHandOvers.TryGetValue(command, out var handOvers))
            {
                return null;
            }

            var lastOwn = -1;
            if (_memberAssignments is not null && _memberAssignments.TryGetValue((command, "CommandText"), out var assignments))
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
                if (position > at && position < before && _summaries.CommandTextWrittenBy(call.TargetMethod, ordinal) is { } written)
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
        private List<IOperation>? BranchAlternatives(ILocalSymbol local, string member, int after, int before)
        {
            if (_memberAssignments is null || !_memberAssignments.TryGetValue((local, member), out var assignments) || assignments.Count < 2)
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

        private System.Collections.Immutable.ImmutableArray<SqlSource> ResolveAll(List<IOperation> texts)
        {
            var result = System.Collections.Immutable.ImmutableArray.CreateBuilder<SqlSource>();
            foreach (var text in texts)
            {
                if (SqlTextResolver.Resolve(text, this, bound: false) is { } sql)
                {
                    result.Add(sql);
                }
            }

            return result.ToImmutable();
        }

        private void Overlay(Facts facts, ILocalSymbol local, string member, int after, int before, Action<Facts, IOperation?> set)
        {
            if (_memberAssignments is null || !_memberAssignments.TryGetValue((local, member), out var assignments))
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

        private void ApplyCreation(Facts facts, IOperation value)
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
                        else if (_symbols.IsConnection(parameter.Type))
                        {
                            facts.Connection = argument.Value;
                        }
                        else if (_symbols.IsTransaction(parameter.Type))
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
                case IInvocationOperation { TargetMethod: var method } own when !IsLibraryMethod(method) && _summaries.CommandTextReturnedBy(method) is { } returned:
                    // A command made by one of the project's methods (CreateCommand(connection) writing its text).
                    facts.ReturnedText = returned.MappedTo(own.Syntax);
                    break;
                case IInvocationOperation { TargetMethod.Name: "CreateCommand" or "CreateBatch" or "CreateBatchCommand", Instance: { } owner } invocation:
                    if (_symbols.IsDataSource(owner.Type))
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
                    else if (_symbols.IsConnection(owner.Type))
                    {
                        facts.Connection = owner;
                    }

                    break;
            }
        }

        private SqlSource? BatchSql(IOperation receiver, int position, Facts facts)
        {
            var commands = new List<IOperation>();
            if (facts.Initializer is not null)
            {
                foreach (var operation in facts.Initializer.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation { TargetMethod.Name: "Add" } add && add.Arguments.Length == 1 && _symbols.IsBatchCommand(add.Arguments[0].Value.Type))
                    {
                        commands.Add(add.Arguments[0].Value);
                    }
                }
            }

            if (Unwrap(receiver) is ILocalReferenceOperation batch && _batchAdds is not null && _batchAdds.TryGetValue(batch.Local, out var adds))
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
                var text = CommandFacts(command, command.Syntax.Span.End + 1).Text;
                var source = text is null ? null : SqlTextResolver.Resolve(text, this, bound: false);
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
