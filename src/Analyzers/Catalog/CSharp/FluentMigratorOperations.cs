using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TenantGuard.Analyzers.Catalog.CSharp
{
    /// <summary>
    /// FluentMigrator's fluent schema expressions, read from syntax and written as the SQL they stand for:
    /// <c>Create.Table("orders").InSchema("app").WithColumn("id").AsGuid().PrimaryKey().WithColumn("tenant_id").AsGuid()
    /// .ForeignKey("tenants", "id").Indexed()</c>, <c>Alter.Table(...).AddColumn(...)</c>, <c>Create.Column(...).OnTable(...)</c>,
    /// <c>Create.Index(...).OnTable(...).OnColumn(...)</c>, <c>Create.ForeignKey(...).FromTable(...).ForeignColumn(...).ToTable(...)
    /// .PrimaryColumn(...)</c>, <c>Delete.Table</c>, <c>Delete.Column</c>, <c>Delete.ForeignKey</c>, <c>Delete.Index</c>,
    /// <c>Rename.Table(...).To(...)</c>. A table's statement maps to <c>Create.Table</c>; a key's to its <c>ForeignKey</c> call.
    /// </summary>
    internal static class FluentMigratorOperations
    {
        /// <summary>Words one of which a file with FluentMigrator expressions contains (the cheap test on its text).</summary>
        public static readonly string[] Words = { "Create.", "Alter.Table", "Delete.", "Rename.Table" };

        /// <summary>Whether a file may hold FluentMigrator expressions (a cheap test on its text).</summary>
        public static bool MayHoldOperations(string text) => SourceTextSearch.ContainsAny(text, Words, System.StringComparison.Ordinal);

        /// <summary>Whether an invocation is the last call of a chain that starts at <c>Create.Table(...)</c> and the like.</summary>
        public static bool IsChain(InvocationExpressionSyntax invocation) =>
            !(invocation.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax })
            && Root(invocation) is { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Create" or "Alter" or "Delete" or "Rename" } } };

        private static InvocationExpressionSyntax? Root(InvocationExpressionSyntax invocation)
        {
            var current = invocation;
            while (current.Expression is MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax inner })
            {
                current = inner;
            }

            return current;
        }

        /// <summary>The chain's calls, first to last: name, arguments, and the name's node (where a finding lands).</summary>
        private static List<(string Name, List<ExpressionSyntax> Arguments, SyntaxNode At)> Calls(InvocationExpressionSyntax invocation)
        {
            var calls = new List<(string, List<ExpressionSyntax>, SyntaxNode)>();
            var current = invocation;
            while (current.Expression is MemberAccessExpressionSyntax member)
            {
                calls.Add((member.Name.Identifier.ValueText, current.ArgumentList.Arguments.Select(a => a.Expression).ToList(), member.Expression is InvocationExpressionSyntax ? member.Name : member));
                if (member.Expression is not InvocationExpressionSyntax inner)
                {
                    break;
                }

                current = inner;
            }

            calls.Reverse();
            return calls;
        }

        public static IEnumerable<(string Sql, SyntaxNode At)> Statements(InvocationExpressionSyntax invocation, CallContext context, CSharpValues values)
        {
            var calls = Calls(invocation);
            if (calls.Count == 0 || calls[0].At is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var verb } })
            {
                return Enumerable.Empty<(string, SyntaxNode)>();
            }

            string? Arg(List<ExpressionSyntax> arguments, int index) => index < arguments.Count ? values.Value(arguments[index], context) : null;
            string? Schema() => calls.FirstOrDefault(c => c.Name == "InSchema") is { Name: not null } s ? Arg(s.Arguments, 0) : null;

            var subject = Arg(calls[0].Arguments, 0);
            var root = calls[0].At;
            var result = new List<(string, SyntaxNode)>();
            switch (verb + "." + calls[0].Name)
            {
                case "Create.Table" when subject is not null:
                    Table(calls, SqlText.Qualified(Schema(), subject), create: true, result, context, values);
                    break;
                case "Alter.Table" when subject is not null:
                    Table(calls, SqlText.Qualified(Schema(), subject), create: false, result, context, values);
                    break;
                case "Create.Column" when subject is not null && Find(calls, "OnTable") is { } onTable && Arg(onTable.Arguments, 0) is { } columnTable:
                    result.Add(($"ALTER TABLE {SqlText.Qualified(Schema(), columnTable)} ADD COLUMN {SqlText.Quote(subject)} {Type(calls, values)}".TrimEnd(), root));
                    break;
                case "Create.Index" when Find(calls, "OnTable") is { } indexTable && Arg(indexTable.Arguments, 0) is { } indexed:
                    var columns = calls.Where(c => c.Name == "OnColumn").Select(c => Arg(c.Arguments, 0)).ToList();
                    if (columns.Count > 0 && columns.All(c => c is not null))
                    {
                        var unique = calls.Any(c => c.Name == "Unique") ? "UNIQUE " : string.Empty;
                        var name = subject is null ? string.Empty : SqlText.Quote(subject) + " ";
                        result.Add(($"CREATE {unique}INDEX {name}ON {SqlText.Qualified(Schema(), indexed)} ({SqlText.List(columns!)})", root));
                    }

                    break;
                case "Create.ForeignKey":
                    ForeignKey(calls, subject, result, context, values);
                    break;
                case "Delete.Table" when subject is not null:
                    result.Add(($"DROP TABLE {SqlText.Qualified(Schema(), subject)}", root));
                    break;
                case "Delete.Column" when subject is not null && Find(calls, "FromTable") is { } fromTable && Arg(fromTable.Arguments, 0) is { } droppedFrom:
                    result.Add(($"ALTER TABLE {SqlText.Qualified(Schema(), droppedFrom)} DROP COLUMN {SqlText.Quote(subject)}", root));
                    break;
                case "Delete.ForeignKey" when subject is not null && Find(calls, "OnTable") is { } keyTable && Arg(keyTable.Arguments, 0) is { } keyed:
                    result.Add(($"ALTER TABLE {SqlText.Qualified(Schema(), keyed)} DROP CONSTRAINT {SqlText.Quote(subject)}", root));
                    break;
                case "Delete.Index" when subject is not null:
                    result.Add(($"DROP INDEX {SqlText.Quote(subject)}", root));
                    break;
                case "Rename.Table" when subject is not null && Find(calls, "To") is { } to && Arg(to.Arguments, 0) is { } newName:
                    result.Add(($"ALTER TABLE {SqlText.Qualified(Schema(), subject)} RENAME TO {SqlText.Quote(newName)}", root));
                    break;
            }

            return result;
        }

        private static (string Name, List<ExpressionSyntax> Arguments, SyntaxNode At)? Find(List<(string Name, List<ExpressionSyntax> Arguments, SyntaxNode At)> calls, string name)
        {
            foreach (var call in calls)
            {
                if (call.Name == name)
                {
                    return call;
                }
            }

            return null;
        }

        /// <summary><c>Create.Table</c> / <c>Alter.Table</c>: columns with their types, the primary key, and each column's foreign key and index.</summary>
        private static void Table(List<(string Name, List<ExpressionSyntax> Arguments, SyntaxNode At)> calls, string table, bool create, List<(string, SyntaxNode)> result, CallContext context, CSharpValues values)
        {
            var columns = new List<string>();
            var types = new Dictionary<string, string>();
            var key = new List<string>();
            var later = new List<(string, SyntaxNode)>();
            string? column = null;
            foreach (var (name, arguments, at) in calls.Skip(1))
            {
                string? Arg(int index) => index < arguments.Count ? values.Value(arguments[index], context) : null;
                switch (name)
                {
                    case "WithColumn" or "AddColumn":
                        column = Arg(0);
                        if (column is not null)
                        {
                            columns.Add(column);
                        }

                        break;
                    case "PrimaryKey" when column is not null:
                        key.Add(column);
                        break;
                    case "ForeignKey" when column is not null && arguments.Count >= 2:
                        // (table, column), (name, table, column) or (name, schema, table, column)
                        var parts = Enumerable.Range(0, arguments.Count).Select(Arg).ToList();
                        if (parts.Any(v => v is null))
                        {
                            break;
                        }

                        var constraint = arguments.Count >= 3 ? $"CONSTRAINT {SqlText.Quote(parts[0]!)} " : string.Empty;
                        var principal = arguments.Count >= 4 ? SqlText.Qualified(parts[1], parts[2]!) : SqlText.Quote(parts[arguments.Count - 2]!);
                        later.Add(($"ALTER TABLE {table} ADD {constraint}FOREIGN KEY ({SqlText.Quote(column)}) REFERENCES {principal} ({SqlText.Quote(parts[arguments.Count - 1]!)})", at));
                        break;
                    case "Indexed" or "Unique" when column is not null:
                        var index = Arg(0) is { } indexName ? SqlText.Quote(indexName) + " " : string.Empty;
                        later.Add(($"CREATE {(name == "Unique" ? "UNIQUE " : string.Empty)}INDEX {index}ON {table} ({SqlText.Quote(column)})", at));
                        break;
                    default:
                        if (column is not null && TypeOf(name, arguments, context, values) is { } type)
                        {
                            types[column] = type;
                        }

                        break;
                }
            }

            string Column(string c) => (SqlText.Quote(c) + " " + (types.TryGetValue(c, out var t) ? t : string.Empty)).TrimEnd();
            if (create)
            {
                var elements = columns.Select(Column).ToList();
                if (key.Count > 0)
                {
                    elements.Add($"PRIMARY KEY ({SqlText.List(key)})");
                }

                result.Add(($"CREATE TABLE {table} ({string.Join(", ", elements)})", calls[0].At));
            }
            else
            {
                foreach (var added in columns)
                {
                    result.Add(($"ALTER TABLE {table} ADD COLUMN {Column(added)}", calls[0].At));
                }
            }

            result.AddRange(later);
        }

        /// <summary><c>Create.ForeignKey("fk").FromTable("t").ForeignColumn("a").ToTable("p").PrimaryColumn("id")</c>.</summary>
        private static void ForeignKey(List<(string Name, List<ExpressionSyntax> Arguments, SyntaxNode At)> calls, string? name, List<(string, SyntaxNode)> result, CallContext context, CSharpValues values)
        {
            string? from = null, fromSchema = null, to = null, toSchema = null;
            var foreign = new List<string?>();
            var primary = new List<string?>();
            foreach (var (call, arguments, _) in calls.Skip(1))
            {
                var given = arguments.Select(a => values.Value(a, context)).ToList();
                switch (call)
                {
                    case "FromTable":
                        from = given.FirstOrDefault();
                        break;
                    case "ToTable":
                        to = given.FirstOrDefault();
                        break;
                    case "InSchema" when to is null:
                        fromSchema = given.FirstOrDefault();
                        break;
                    case "InSchema":
                        toSchema = given.FirstOrDefault();
                        break;
                    case "ForeignColumn" or "ForeignColumns":
                        foreign.AddRange(given);
                        break;
                    case "PrimaryColumn" or "PrimaryColumns":
                        primary.AddRange(given);
                        break;
                }
            }

            if (from is null || to is null || foreign.Count == 0 || foreign.Any(c => c is null) || primary.Any(c => c is null))
            {
                return;
            }

            var constraint = name is null ? string.Empty : $"CONSTRAINT {SqlText.Quote(name)} ";
            var referenced = primary.Count > 0 ? $" ({SqlText.List(primary!)})" : string.Empty;
            result.Add(($"ALTER TABLE {SqlText.Qualified(fromSchema, from)} ADD {constraint}FOREIGN KEY ({SqlText.List(foreign!)}) REFERENCES {SqlText.Qualified(toSchema, to)}{referenced}", calls[0].At));
        }

        private static string Type(List<(string Name, List<ExpressionSyntax> Arguments, SyntaxNode At)> calls, CSharpValues values) =>
            calls.Select(c => TypeOf(c.Name, c.Arguments, CallContext.Root, values)).FirstOrDefault(t => t is not null) ?? string.Empty;

        /// <summary>The PostgreSQL type of FluentMigrator's <c>AsGuid()</c>, <c>AsInt32()</c>, <c>AsCustom("citext")</c>...</summary>
        private static string? TypeOf(string method, List<ExpressionSyntax> arguments, CallContext context, CSharpValues values) => method switch
        {
            "AsGuid" => "uuid",
            "AsInt16" => "smallint",
            "AsInt32" => "integer",
            "AsInt64" => "bigint",
            "AsString" or "AsAnsiString" or "AsFixedLengthString" => "text",
            "AsBoolean" => "boolean",
            "AsDecimal" or "AsCurrency" => "numeric",
            "AsDouble" => "double precision",
            "AsDateTime" or "AsDateTime2" or "AsDateTimeOffset" => "timestamp with time zone",
            "AsDate" => "date",
            "AsBinary" => "bytea",
            "AsCustom" when arguments.Count == 1 => values.Value(arguments[0], context),
            _ => null,
        };
    }
}
