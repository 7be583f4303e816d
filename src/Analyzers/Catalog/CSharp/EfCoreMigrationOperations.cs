using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TenantGuard.Analyzers.Catalog.CSharp
{
    /// <summary>
    /// EF Core's migration operations on a <c>MigrationBuilder</c>, read from syntax and written as the SQL they stand
    /// for, so that the catalog reads them like any migration and what EF creates combines with what
    /// <c>migrationBuilder.Sql(...)</c> adds: <c>CreateTable</c> (columns from the anonymous type's members or their
    /// <c>name:</c>, primary key, unique constraints, foreign keys), <c>AddColumn</c>, <c>DropColumn</c>,
    /// <c>RenameColumn</c>, <c>AddForeignKey</c>, <c>DropForeignKey</c>, <c>CreateIndex</c>, <c>DropIndex</c>,
    /// <c>AddPrimaryKey</c>, <c>DropPrimaryKey</c>, <c>AddUniqueConstraint</c>, <c>DropUniqueConstraint</c>,
    /// <c>RenameTable</c>, <c>DropTable</c>, <c>EnsureSchema</c>. Each statement maps to the C# operation that declares it (the
    /// <c>migrationBuilder.CreateTable</c> call; a key's <c>table.ForeignKey</c> line), where findings on it land.
    /// </summary>
    internal static class EfCoreMigrationOperations
    {
        private static readonly ImmutableHashSet<string> Operations = ImmutableHashSet.Create(
            "CreateTable", "DropTable", "RenameTable", "AddColumn", "DropColumn", "RenameColumn", "AddForeignKey", "DropForeignKey",
            "CreateIndex", "DropIndex", "AddPrimaryKey", "DropPrimaryKey", "AddUniqueConstraint", "DropUniqueConstraint", "EnsureSchema");

        /// <summary>Words one of which a file with EF Core migration operations contains (the cheap test on its text).</summary>
        public static readonly string[] Words = { "MigrationBuilder" };

        /// <summary>Whether a file may hold EF Core migration operations (a cheap test on its text).</summary>
        public static bool MayHoldOperations(string text) => SourceTextSearch.ContainsAny(text, Words, System.StringComparison.Ordinal);

        /// <summary>Whether an invocation is an operation on a <c>MigrationBuilder</c> parameter of the method it stands in.</summary>
        public static bool IsOperation(InvocationExpressionSyntax invocation) =>
            invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name.Identifier.ValueText: var name }
            && Operations.Contains(name)
            && IsMigrationBuilder(receiver);

        internal static bool IsMigrationBuilder(IdentifierNameSyntax receiver)
        {
            var method = receiver.Ancestors().OfType<BaseMethodDeclarationSyntax>().FirstOrDefault();
            var parameter = method?.ParameterList.Parameters.FirstOrDefault(p => p.Identifier.ValueText == receiver.Identifier.ValueText);
            return parameter?.Type switch
            {
                IdentifierNameSyntax { Identifier.ValueText: "MigrationBuilder" } => true,
                QualifiedNameSyntax { Right.Identifier.ValueText: "MigrationBuilder" } => true,
                _ => false,
            };
        }

        /// <summary>The statements one operation stands for in a call's context, each with the position that orders it.</summary>
        public static IEnumerable<(string Sql, SyntaxNode At)> Statements(InvocationExpressionSyntax invocation, CallContext context, CSharpValues values)
        {
            var member = (MemberAccessExpressionSyntax)invocation.Expression;
            var arguments = new Arguments(invocation.ArgumentList, context, values);
            var operation = member.Name.Identifier.ValueText;

            string? Table(int nameOrdinal = 1, int schemaOrdinal = -1) =>
                arguments.String("table", nameOrdinal) is { } table ? SqlText.Qualified(arguments.String("schema", schemaOrdinal), table) : null;

            switch (operation)
            {
                case "CreateTable":
                    {
                        if (arguments.String("name", 0) is not { } name)
                        {
                            yield break;
                        }

                        foreach (var statement in CreateTable(member, SqlText.Qualified(arguments.String("schema", 2), name), arguments))
                        {
                            yield return statement;
                        }

                        yield break;
                    }

                case "EnsureSchema":
                    if (arguments.String("name", 0) is { } schema)
                    {
                        yield return ($"CREATE SCHEMA IF NOT EXISTS {SqlText.Quote(schema)}", member);
                    }

                    yield break;
                case "DropTable":
                    if (arguments.String("name", 0) is { } dropped)
                    {
                        yield return ($"DROP TABLE {SqlText.Qualified(arguments.String("schema", 1), dropped)}", member);
                    }

                    yield break;
                case "RenameTable":
                    if (arguments.String("name", 0) is { } from && arguments.String("newName", 2) is { } to)
                    {
                        yield return ($"ALTER TABLE {SqlText.Qualified(arguments.String("schema", 1), from)} RENAME TO {SqlText.Quote(to)}", member);
                    }

                    yield break;
                case "AddColumn":
                    if (arguments.String("name", 0) is { } column && Table(1, 6) is { } addTo)
                    {
                        yield return ($"ALTER TABLE {addTo} ADD COLUMN {SqlText.Quote(column)} {ColumnType(member.Name, arguments)}".TrimEnd(), member);
                    }

                    yield break;
                case "DropColumn":
                    if (arguments.String("name", 0) is { } droppedColumn && Table(1, 2) is { } dropFrom)
                    {
                        yield return ($"ALTER TABLE {dropFrom} DROP COLUMN {SqlText.Quote(droppedColumn)}", member);
                    }

                    yield break;
                case "RenameColumn":
                    if (arguments.String("name", 0) is { } oldColumn && arguments.String("newName", 2) is { } newColumn && Table(1, 3) is { } renameIn)
                    {
                        yield return ($"ALTER TABLE {renameIn} RENAME COLUMN {SqlText.Quote(oldColumn)} TO {SqlText.Quote(newColumn)}", member);
                    }

                    yield break;
                case "AddForeignKey":
                    if (Table(1, 4) is { } keyTable && arguments.Columns("column", "columns", 2) is { } keyColumns && arguments.String("principalTable", 3) is { } principal)
                    {
                        var principalColumns = arguments.Columns("principalColumn", "principalColumns", 6);
                        yield return ($"ALTER TABLE {keyTable} ADD {Constraint(arguments.String("name", 0))}{ForeignKey(keyColumns, SqlText.Qualified(arguments.String("principalSchema", 5), principal), principalColumns)}", member);
                    }

                    yield break;
                case "AddPrimaryKey":
                case "AddUniqueConstraint":
                    if (Table(1, 3) is { } constrained && arguments.Columns("column", "columns", 2) is { } constraintColumns)
                    {
                        var kind = operation == "AddPrimaryKey" ? "PRIMARY KEY" : "UNIQUE";
                        yield return ($"ALTER TABLE {constrained} ADD {Constraint(arguments.String("name", 0))}{kind} ({SqlText.List(constraintColumns)})", member);
                    }

                    yield break;
                case "DropForeignKey":
                case "DropPrimaryKey":
                case "DropUniqueConstraint":
                    if (arguments.String("name", 0) is { } constraint && Table(1, 2) is { } droppedFrom)
                    {
                        yield return ($"ALTER TABLE {droppedFrom} DROP CONSTRAINT {SqlText.Quote(constraint)}", member);
                    }

                    yield break;
                case "CreateIndex":
                    if (Table(1, 3) is { } indexed && arguments.Columns("column", "columns", 2) is { } indexColumns)
                    {
                        var unique = arguments.Expression("unique", 4) is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression } ? "UNIQUE " : string.Empty;
                        var name = arguments.String("name", 0) is { } indexName ? SqlText.Quote(indexName) + " " : string.Empty;
                        yield return ($"CREATE {unique}INDEX {name}ON {indexed} ({SqlText.List(indexColumns)})", member);
                    }

                    yield break;
                case "DropIndex":
                    if (arguments.String("name", 0) is { } droppedIndex)
                    {
                        yield return ($"DROP INDEX {SqlText.Qualified(arguments.String("schema", 2), droppedIndex)}", member);
                    }

                    yield break;
            }
        }

        private static string Constraint(string? name) => name is null ? string.Empty : $"CONSTRAINT {SqlText.Quote(name)} ";

        private static string ForeignKey(ImmutableArray<string> columns, string principal, ImmutableArray<string>? principalColumns) =>
            $"FOREIGN KEY ({SqlText.List(columns)}) REFERENCES {principal}" + (principalColumns is { IsEmpty: false } referenced ? $" ({SqlText.List(referenced)})" : string.Empty);

        /// <summary>
        /// <c>CreateTable(name, columns: table => new { ... }, constraints: table => { ... })</c>: the table with its
        /// columns and primary key, then each foreign key and unique constraint as a statement of its own at its line.
        /// </summary>
        private static IEnumerable<(string Sql, SyntaxNode At)> CreateTable(MemberAccessExpressionSyntax member, string table, Arguments arguments)
        {
            // Member name to column name: Id = table.Column<Guid>(...), TenantId = table.Column<Guid>(name: "tenant_id", ...).
            var columns = new List<(string Member, string Column, string Type)>();
            if (LambdaBody(arguments.Expression("columns", 1)) is AnonymousObjectCreationExpressionSyntax anonymous)
            {
                foreach (var initializer in anonymous.Initializers)
                {
                    var memberName = initializer.NameEquals?.Name.Identifier.ValueText
                        ?? (initializer.Expression as IdentifierNameSyntax)?.Identifier.ValueText;
                    if (memberName is null)
                    {
                        continue;
                    }

                    var column = memberName;
                    var type = string.Empty;
                    if (initializer.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: var columnMethod } } columnCall)
                    {
                        var columnArguments = new Arguments(columnCall.ArgumentList, arguments.Context, arguments.Values);
                        column = columnArguments.String("name", 4) ?? memberName;
                        type = ColumnType(columnMethod, columnArguments);
                    }

                    columns.Add((memberName, column, type));
                }
            }

            string? ColumnOf(string memberName) => columns.FirstOrDefault(c => c.Member == memberName).Column;

            ImmutableArray<string>? KeyColumns(ExpressionSyntax? selector)
            {
                var body = LambdaBody(selector);
                var members = body switch
                {
                    MemberAccessExpressionSyntax access => new[] { access.Name.Identifier.ValueText },
                    AnonymousObjectCreationExpressionSyntax key => key.Initializers.Select(i => (i.Expression as MemberAccessExpressionSyntax)?.Name.Identifier.ValueText).ToArray(),
                    _ => null,
                };
                if (members is null || members.Any(m => m is null))
                {
                    return null;
                }

                var names = members.Select(m => ColumnOf(m!)).ToArray();
                return names.Any(n => n is null) ? null : names.ToImmutableArray()!;
            }

            var constraints = new List<InvocationExpressionSyntax>();
            switch (LambdaBodyNode(arguments.Expression("constraints", 3)))
            {
                case BlockSyntax block:
                    constraints.AddRange(block.Statements.OfType<ExpressionStatementSyntax>().Select(s => s.Expression).OfType<InvocationExpressionSyntax>());
                    break;
                case InvocationExpressionSyntax single:
                    constraints.Add(single);
                    break;
            }

            // Fluent chains (table.PrimaryKey(...).Annotation(...)): the innermost call is the constraint.
            for (var i = 0; i < constraints.Count; i++)
            {
                while (constraints[i].Expression is MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax inner })
                {
                    constraints[i] = inner;
                }
            }

            var elements = columns.Select(c => (SqlText.Quote(c.Column) + " " + c.Type).TrimEnd()).ToList();
            var later = new List<(string, SyntaxNode)>();
            foreach (var constraint in constraints)
            {
                if (constraint.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: var kind } constraintMember)
                {
                    continue;
                }

                var constraintArguments = new Arguments(constraint.ArgumentList, arguments.Context, arguments.Values);
                var name = Constraint(constraintArguments.String("name", 0));
                switch (kind)
                {
                    case "PrimaryKey" when KeyColumns(constraintArguments.Expression("columns", 1)) is { } key:
                        elements.Add($"{name}PRIMARY KEY ({SqlText.List(key)})");
                        break;
                    case "UniqueConstraint" when KeyColumns(constraintArguments.Expression("columns", 1)) is { } unique:
                        later.Add(($"ALTER TABLE {table} ADD {name}UNIQUE ({SqlText.List(unique)})", constraintMember));
                        break;
                    case "ForeignKey":
                        var keyColumns = KeyColumns(constraintArguments.Expression("column", 1) ?? constraintArguments.Expression("columns", 1));
                        if (keyColumns is null || constraintArguments.String("principalTable", 2) is not { } principal)
                        {
                            break;
                        }

                        var principalColumns = constraintArguments.Columns("principalColumn", "principalColumns", 3);
                        var principalTable = SqlText.Qualified(constraintArguments.String("principalSchema", 4), principal);
                        later.Add(($"ALTER TABLE {table} ADD {name}{ForeignKey(keyColumns.Value, principalTable, principalColumns)}", constraintMember));
                        break;
                }
            }

            yield return ($"CREATE TABLE {table} ({string.Join(", ", elements)})", member);
            foreach (var statement in later)
            {
                yield return statement;
            }
        }

        /// <summary>
        /// The column's type: the <c>type:</c> argument EF's scaffolding writes (<c>"uuid"</c>), else what Npgsql maps the
        /// CLR type to (<c>Column&lt;Guid&gt;</c> is uuid), else nothing.
        /// </summary>
        private static string ColumnType(SimpleNameSyntax method, Arguments arguments)
        {
            if (arguments.String("type", method.Identifier.ValueText == "AddColumn" ? 2 : 0) is { } type)
            {
                return type;
            }

            var clr = method is GenericNameSyntax { TypeArgumentList.Arguments: { Count: 1 } typeArguments } ? typeArguments[0] : null;
            if (clr is NullableTypeSyntax nullable)
            {
                clr = nullable.ElementType;
            }

            var name = clr switch
            {
                PredefinedTypeSyntax predefined => predefined.Keyword.ValueText,
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                ArrayTypeSyntax { ElementType: PredefinedTypeSyntax { Keyword.ValueText: "byte" } } => "byte[]",
                _ => null,
            };
            return name switch
            {
                "Guid" => "uuid",
                "int" or "Int32" => "integer",
                "long" or "Int64" => "bigint",
                "short" or "Int16" => "smallint",
                "string" or "String" => "text",
                "bool" or "Boolean" => "boolean",
                "decimal" or "Decimal" => "numeric",
                "double" or "Double" => "double precision",
                "DateTime" or "DateTimeOffset" => "timestamp with time zone",
                "byte[]" => "bytea",
                _ => string.Empty,
            };
        }

        private static SyntaxNode? LambdaBodyNode(ExpressionSyntax? expression) => expression switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Body,
            ParenthesizedLambdaExpressionSyntax lambda => lambda.Body,
            _ => null,
        };

        private static ExpressionSyntax? LambdaBody(ExpressionSyntax? expression) => LambdaBodyNode(expression) as ExpressionSyntax;

        /// <summary>An operation's arguments, by name or by position, read in a call's context.</summary>
        private readonly struct Arguments
        {
            private readonly ArgumentListSyntax _list;

            public Arguments(ArgumentListSyntax list, CallContext context, CSharpValues values)
            {
                _list = list;
                Context = context;
                Values = values;
            }

            public CallContext Context { get; }

            public CSharpValues Values { get; }

            public ExpressionSyntax? Expression(string name, int ordinal)
            {
                for (var i = 0; i < _list.Arguments.Count; i++)
                {
                    var argument = _list.Arguments[i];
                    if (argument.NameColon is { } nameColon ? nameColon.Name.Identifier.ValueText == name : i == ordinal)
                    {
                        return argument.Expression;
                    }
                }

                return null;
            }

            public string? String(string name, int ordinal) => Values.Value(Expression(name, ordinal), Context);

            private bool Named(string name) => _list.Arguments.Any(a => a.NameColon?.Name.Identifier.ValueText == name);

            /// <summary>A column list given as one name (<c>column: "a"</c>) or several (<c>columns: new[] { "a", "b" }</c>).</summary>
            public ImmutableArray<string>? Columns(string single, string several, int ordinal)
            {
                if (String(single, Named(several) ? -1 : ordinal) is { } one)
                {
                    return ImmutableArray.Create(one);
                }

                var list = Expression(several, Named(single) ? -1 : ordinal);
                return list is null ? null : Values.LiteralElements(list, list, 0)?.ToImmutableArray();
            }
        }
    }
}
