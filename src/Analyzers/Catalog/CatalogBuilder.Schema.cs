using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>Tables, columns, keys, indexes, views, grants and roles.</summary>
    internal sealed partial class CatalogBuilder
    {

        private void AlterTable(MigrationDocument document, StatementCursor s)
        {
            // ALTER TABLE [IF EXISTS] [ONLY] name [*] action [, ...] | RENAME TO new
            var i = s.SkipIfExists(2);
            if (s.Is(i, "only"))
            {
                i++;
            }

            if (s.Is(i, "all"))
            {
                return; // ALTER TABLE ALL IN TABLESPACE
            }

            var tableName = s.Name(ref i, out var schema);
            if (tableName is null)
            {
                if (MentionsRowLevelSecurity(s.Text()))
                {
                    Problem(document, s, "the table's name is not literal SQL");
                }

                return;
            }

            if (s.IsOperator(i, "*"))
            {
                i++;
            }

            if (s.Is(i, "rename") && s.Is(i + 1, "to"))
            {
                var j = i + 2;
                var newName = s.Name(ref j);
                if (newName is not null && _tables.TryGetValue(tableName, out var renamed))
                {
                    _tables.Remove(tableName);
                    renamed.Name = newName;
                    _tables[newName] = renamed;
                }

                return;
            }

            if (s.Is(i, "rename"))
            {
                // RENAME [COLUMN] a TO b
                var j = i + 1;
                if (s.Is(j, "column"))
                {
                    j++;
                }

                var from = s.Name(ref j);
                if (from is not null && s.Is(j, "to"))
                {
                    j++;
                    var to = s.Name(ref j);
                    if (to is not null && Find(tableName) is { } table)
                    {
                        var index = table.Columns.IndexOf(from);
                        if (index >= 0)
                        {
                            table.Columns[index] = to;
                        }

                        var key = table.PrimaryKey.IndexOf(from);
                        if (key >= 0)
                        {
                            table.PrimaryKey[key] = to;
                        }

                        if (table.ColumnTypes.TryGetValue(from, out var type))
                        {
                            table.ColumnTypes.Remove(from);
                            table.ColumnTypes[to] = type;
                        }
                    }
                }

                return;
            }

            foreach (var action in s.Slice(i).SplitTopLevel())
            {
                AlterTableAction(document, s, tableName, schema, action);
            }
        }

        private void AlterTableAction(MigrationDocument document, StatementCursor statement, string tableName, string? schema, StatementCursor a)
        {
            var location = document.Locate(statement.Start, statement.End);
            if (a.Is(0, "enable") && a.Is(1, "row"))
            {
                var table = TableFor(tableName, schema);
                table.RlsEnabled = true;
                table.RlsLocation ??= location;
            }
            else if (a.Is(0, "disable") && a.Is(1, "row"))
            {
                var table = TableFor(tableName, schema);
                table.RlsEnabled = false;
                table.RlsLocation = location;
            }
            else if (a.Is(0, "force") && a.Is(1, "row"))
            {
                TableFor(tableName, schema).RlsForced = true;
            }
            else if (a.Is(0, "no") && a.Is(1, "force"))
            {
                TableFor(tableName, schema).RlsForced = false;
            }
            else if (a.Is(0, "add"))
            {
                var i = 1;
                string? constraintName = null;
                if (a.Is(i, "constraint"))
                {
                    var n = i + 1;
                    constraintName = a.Name(ref n);
                    i += 2;
                }

                if (a.Is(i, "foreign") || a.Is(i, "primary") || a.Is(i, "unique") || a.Is(i, "check") || a.Is(i, "exclude"))
                {
                    TableConstraint(document, statement, TableFor(tableName, schema), a.Slice(i), constraintName);
                    return;
                }

                if (a.Is(i, "column"))
                {
                    i++;
                }

                i = a.SkipIfExists(i);
                ColumnDefinition(document, statement, TableFor(tableName, schema), a.Slice(i));
            }
            else if (a.Is(0, "drop") && Find(tableName) is { } table)
            {
                // DROP CONSTRAINT [IF EXISTS] name | DROP [COLUMN] [IF EXISTS] name
                var i = 1;
                var constraint = a.Is(i, "constraint");
                if (constraint || a.Is(i, "column"))
                {
                    i++;
                }

                i = a.SkipIfExists(i);
                if (a.Name(ref i) is not { } name)
                {
                    return;
                }

                if (constraint)
                {
                    DropConstraint(table, name);
                }
                else
                {
                    DropColumn(table, name);
                }
            }
        }

        /// <summary>A dropped column takes its keys and the indexes on it with it, as PostgreSQL does.</summary>
        private static void DropColumn(CatalogTable table, string name)
        {
            table.Columns.Remove(name);
            table.ColumnTypes.Remove(name);
            if (table.PrimaryKey.Contains(name))
            {
                table.PrimaryKey.Clear();
            }

            table.ForeignKeys.RemoveAll(k => k.Columns.Contains(name));
            table.Indexes.RemoveAll(index => index.Columns.Contains(name));
        }

        /// <summary>A named foreign key, unique constraint (its index) or primary key.</summary>
        private static void DropConstraint(CatalogTable table, string name)
        {
            table.ForeignKeys.RemoveAll(k => k.Name == name);
            table.Indexes.RemoveAll(index => index.Name == name);
            if (table.PrimaryKeyName == name)
            {
                table.PrimaryKey.Clear();
                table.PrimaryKeyName = null;
            }
        }

        private void CreateTable(MigrationDocument document, StatementCursor s, int i)
        {
            // CREATE TABLE [IF NOT EXISTS] name ( column type [REFERENCES t (c)] | [CONSTRAINT n] FOREIGN KEY (..) REFERENCES t (..) , ... )
            i = s.SkipIfExists(i);
            var tableName = s.Name(ref i, out var schema);
            if (tableName is null || !s.IsKind(i, SqlTokenKind.OpenParen))
            {
                return; // CREATE TABLE x AS / PARTITION OF / OF type
            }

            var table = TableFor(tableName, schema);
            table.Created = true;
            table.Location ??= document.Locate(s.Start, s.End);
            foreach (var item in s.Items(i, out _))
            {
                var element = new StatementCursor(s.Script, item);
                var j = 0;
                string? constraintName = null;
                if (element.Is(0, "constraint"))
                {
                    var n = 1;
                    constraintName = element.Name(ref n);
                    j = 2;
                }

                if (element.Word(j) is "primary" or "foreign" or "unique" or "check" or "exclude" or "like")
                {
                    TableConstraint(document, s, table, element.Slice(j), constraintName);
                }
                else
                {
                    ColumnDefinition(document, s, table, element);
                }
            }
        }

        private void ColumnDefinition(MigrationDocument document, StatementCursor statement, CatalogTable table, StatementCursor column)
        {
            var i = 0;
            var name = column.Name(ref i);
            if (name is null)
            {
                return;
            }

            if (!table.Columns.Contains(name))
            {
                table.Columns.Add(name);
            }

            // The type: what follows the name up to the first column constraint.
            var typeEnd = i;
            while (typeEnd < column.Length && column.Word(typeEnd) is not ("constraint" or "not" or "null" or "primary" or "references" or "default" or "unique" or "check" or "generated" or "collate"))
            {
                typeEnd++;
            }

            if (typeEnd > i)
            {
                table.ColumnTypes[name] = column.Text(i, typeEnd);
            }

            for (; i < column.Length; i++)
            {
                if (column.Is(i, "primary") && column.Is(i + 1, "key"))
                {
                    table.PrimaryKey.Clear();
                    table.PrimaryKey.Add(name);
                }

                if (column.Is(i, "references"))
                {
                    var j = i + 1;
                    var target = column.Name(ref j);
                    if (target is not null)
                    {
                        var referenced = column.IsKind(j, SqlTokenKind.OpenParen) ? column.NameList(j, out _) : ImmutableArray<string>.Empty;
                        table.ForeignKeys.Add(new CatalogForeignKey(table.Name, ImmutableArray.Create(name), target, referenced, document.Locate(statement.Start, statement.End)));
                    }

                    return;
                }
            }
        }

        private void TableConstraint(MigrationDocument document, StatementCursor statement, CatalogTable table, StatementCursor constraint, string? name)
        {
            // PRIMARY KEY (a, b)
            if (constraint.Is(0, "primary") && constraint.Is(1, "key") && constraint.IsKind(2, SqlTokenKind.OpenParen))
            {
                var key = constraint.NameList(2, out _);
                table.PrimaryKey.Clear();
                table.PrimaryKey.AddRange(key);
                table.PrimaryKeyName = name;
                return;
            }

            // UNIQUE (a, b): backed by an index, as a CREATE UNIQUE INDEX would be
            if (constraint.Is(0, "unique") && constraint.IsKind(1, SqlTokenKind.OpenParen))
            {
                table.Indexes.Add(new CatalogIndex(name ?? string.Empty, table.Name, constraint.NameList(1, out _), unique: true, document.Locate(statement.Start, statement.End)));
                return;
            }

            // FOREIGN KEY (a, b) REFERENCES t [(x, y)]
            if (!constraint.Is(0, "foreign") || !constraint.Is(1, "key") || !constraint.IsKind(2, SqlTokenKind.OpenParen))
            {
                return;
            }

            var columns = constraint.NameList(2, out var close);
            if (close < 0 || !constraint.Is(close + 1, "references"))
            {
                return;
            }

            var j = close + 2;
            var target = constraint.Name(ref j);
            if (target is null)
            {
                return;
            }

            var referenced = constraint.IsKind(j, SqlTokenKind.OpenParen) ? constraint.NameList(j, out _) : ImmutableArray<string>.Empty;
            table.ForeignKeys.Add(new CatalogForeignKey(table.Name, columns, target, referenced, document.Locate(statement.Start, statement.End), name));
        }

        private void DropTables(StatementCursor s)
        {
            var i = s.SkipIfExists(2);
            while (i < s.Length)
            {
                var name = s.Name(ref i);
                if (name is not null)
                {
                    _tables.Remove(name);
                }

                i++;
            }
        }

        private void DropIndexes(StatementCursor s)
        {
            // DROP INDEX [CONCURRENTLY] [IF EXISTS] name [, ...]
            var i = 2;
            if (s.Is(i, "concurrently"))
            {
                i++;
            }

            i = s.SkipIfExists(i);
            while (i < s.Length)
            {
                if (s.Name(ref i) is { } name)
                {
                    foreach (var table in _tables.Values)
                    {
                        table.Indexes.RemoveAll(index => index.Name == name);
                    }
                }

                i++;
            }
        }

        private void CreateIndex(MigrationDocument document, StatementCursor s, int i)
        {
            // CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table [USING method] ( element [, ...] )
            var unique = false;
            for (var k = 1; k < i; k++)
            {
                unique |= s.Is(k, "unique");
            }

            if (s.Is(i, "concurrently"))
            {
                i++;
            }

            i = s.SkipIfExists(i);
            var name = s.Is(i, "on") ? string.Empty : s.Name(ref i) ?? string.Empty;
            if (!s.Is(i, "on"))
            {
                return;
            }

            i++;
            if (s.Is(i, "only"))
            {
                i++;
            }

            var tableName = s.Name(ref i);
            if (tableName is null)
            {
                return;
            }

            if (s.Is(i, "using"))
            {
                i += 2;
            }

            if (!s.IsKind(i, SqlTokenKind.OpenParen))
            {
                return;
            }

            var columns = ImmutableArray.CreateBuilder<string>();
            foreach (var item in s.Items(i, out _))
            {
                var element = new StatementCursor(s.Script, item);
                columns.Add(element.Length >= 1 && element.Tokens[0].Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier && !element.IsKind(1, SqlTokenKind.OpenParen)
                    ? s.Script.IdentifierValue(element.Tokens[0])!
                    : "(" + element.Text() + ")");
            }

            TableFor(tableName, null).Indexes.Add(new CatalogIndex(name, tableName, columns.ToImmutable(), unique, document.Locate(s.Start, s.End)));
        }


        private void CreateView(MigrationDocument document, StatementCursor s, int i, bool materialized)
        {
            // CREATE [OR REPLACE] [MATERIALIZED] VIEW name [(columns)] [WITH (options)] AS query
            i = s.SkipIfExists(i);
            var name = s.Name(ref i);
            if (name is null)
            {
                return;
            }

            if (s.IsKind(i, SqlTokenKind.OpenParen))
            {
                i = s.Close(i) + 1;
            }

            var securityInvoker = false;
            if (s.Is(i, "with") && s.IsKind(i + 1, SqlTokenKind.OpenParen))
            {
                securityInvoker = ReadSecurityInvoker(s, i + 1, out var close);
                i = close + 1;
            }

            var tables = ImmutableArray.CreateBuilder<string>();
            // The settings the query filters by: read in a condition (after WHERE, ON or HAVING), not merely selected.
            var settings = ImmutableArray.CreateBuilder<string>();
            var condition = -1;
            for (; i < s.Length; i++)
            {
                if (s.Script.IdentifierValue(s.Tokens[i]) is not { } word)
                {
                    continue;
                }

                if (condition < 0 && s.Tokens[i].Kind == SqlTokenKind.Identifier && word is "where" or "on" or "having")
                {
                    condition = i;
                }
                else if ((_tables.ContainsKey(word) || _views.ContainsKey(word)) && !tables.Contains(word))
                {
                    tables.Add(word);
                }
                else if (condition >= 0 && _functions.TryGetValue(word, out var read) && s.IsKind(i + 1, SqlTokenKind.OpenParen))
                {
                    settings.AddRange(read);
                }
            }

            if (condition >= 0)
            {
                foreach (var read in SettingReads.In(s.Slice(condition).Text()))
                {
                    settings.Add(read.Setting);
                }
            }

            _views[name] = new CatalogView(name, tables.ToImmutable(), securityInvoker, document.Locate(s.Start, s.End), materialized, settings.Distinct().ToImmutableArray());
        }

        private void AlterView(MigrationDocument document, StatementCursor s, int start)
        {
            // ALTER [MATERIALIZED] VIEW [IF EXISTS] name SET ( security_invoker = true ) | RESET ( security_invoker ) | RENAME TO new
            var i = s.SkipIfExists(start);
            var name = s.Name(ref i);
            if (name is null || !_views.TryGetValue(name, out var view))
            {
                return;
            }

            if (s.Is(i, "set") && s.IsKind(i + 1, SqlTokenKind.OpenParen))
            {
                var value = ReadSecurityInvoker(s, i + 1, out _, out var mentioned);
                if (mentioned)
                {
                    _views[name] = view.WithSecurityInvoker(value, document.Locate(s.Start, s.End));
                }
            }
            else if (s.Is(i, "reset") && s.Slice(i).Text().IndexOf("security_invoker", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                _views[name] = view.WithSecurityInvoker(false, document.Locate(s.Start, s.End));
            }
            else if (s.Is(i, "rename") && s.Is(i + 1, "to"))
            {
                var j = i + 2;
                if (s.Name(ref j) is { } newName)
                {
                    _views.Remove(name);
                    _views[newName] = view.Renamed(newName);
                }
            }
        }

        private void DropViews(StatementCursor s, int start)
        {
            var i = s.SkipIfExists(start);
            while (i < s.Length)
            {
                if (s.Name(ref i) is { } name)
                {
                    _views.Remove(name);
                }

                i++;
            }
        }

        private static bool ReadSecurityInvoker(StatementCursor s, int open, out int close) => ReadSecurityInvoker(s, open, out close, out _);

        private static bool ReadSecurityInvoker(StatementCursor s, int open, out int close, out bool mentioned)
        {
            mentioned = false;
            foreach (var item in s.Items(open, out close))
            {
                var option = new StatementCursor(s.Script, item);
                if (!option.Is(0, "security_invoker"))
                {
                    continue;
                }

                mentioned = true;
                if (option.Length == 1)
                {
                    return true;
                }

                var value = option.IsKind(2, SqlTokenKind.String) ? s.Script.StringValue(option.Tokens[2]) : option.Word(2);
                return value?.ToLowerInvariant() is "true" or "on" or "1" or "yes" or "t";
            }

            return false;
        }


        private void Grant(MigrationDocument document, StatementCursor s)
        {
            // GRANT privileges ON [TABLE] name [, ...] TO grantee [, ...]
            var on = -1;
            for (var k = 1; k < s.Length; k++)
            {
                if (s.Is(k, "on"))
                {
                    on = k;
                    break;
                }
            }

            if (on < 0)
            {
                return; // GRANT role TO role
            }

            var privileges = ImmutableArray.CreateBuilder<string>();
            for (var k = 1; k < on; k++)
            {
                if (s.Tokens[k].Kind == SqlTokenKind.Identifier)
                {
                    privileges.Add(s.Word(k));
                }
            }

            var i = on + 1;
            if (s.Is(i, "table"))
            {
                i++;
            }
            else if (s.Word(i) is "all" or "schema" or "sequence" or "function" or "database" or "sequences" or "functions")
            {
                return;
            }

            var tables = new List<string>();
            while (i < s.Length && !s.Is(i, "to"))
            {
                if (s.Name(ref i) is { } name)
                {
                    tables.Add(name);
                }
                else
                {
                    i++;
                }
            }

            var grantees = ImmutableArray.CreateBuilder<string>();
            for (i++; i < s.Length && !s.Is(i, "with"); i++)
            {
                if (s.Script.IdentifierValue(s.Tokens[i]) is { } grantee && grantee != "group")
                {
                    grantees.Add(grantee);
                }
            }

            foreach (var table in tables)
            {
                TableFor(table, null).Grants.Add(new CatalogGrant(table, privileges.ToImmutable(), grantees.ToImmutable(), document.Locate(s.Start, s.End)));
            }
        }

        private void Role(MigrationDocument document, StatementCursor s, int i, bool create)
        {
            // CREATE ROLE name [WITH] option ... / ALTER ROLE name [WITH] option ...
            var name = s.Name(ref i);
            if (name is null)
            {
                return;
            }

            _roles.TryGetValue(name, out var existing);
            var bypass = existing?.BypassRls ?? false;
            var superuser = existing?.Superuser ?? false;
            var changed = create;
            for (; i < s.Length; i++)
            {
                switch (s.Word(i))
                {
                    case "bypassrls":
                        bypass = true;
                        changed = true;
                        break;
                    case "nobypassrls":
                        bypass = false;
                        changed = true;
                        break;
                    case "superuser":
                        superuser = true;
                        changed = true;
                        break;
                    case "nosuperuser":
                        superuser = false;
                        changed = true;
                        break;
                }
            }

            if (changed)
            {
                _roles[name] = new CatalogRole(name, bypass, superuser, document.Locate(s.Start, s.End));
            }
        }
    }
}
