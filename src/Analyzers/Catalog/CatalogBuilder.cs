using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>
    /// Builds the <see cref="PolicyCatalog"/> by reading migration documents in order. Understands the statements
    /// that shape row-level security (CREATE/ALTER/DROP POLICY; ALTER TABLE ... ENABLE/DISABLE/FORCE/NO FORCE ROW
    /// LEVEL SECURITY; renames; CREATE TABLE with its columns and foreign keys; CREATE INDEX; CREATE/ALTER VIEW;
    /// GRANT; CREATE/ALTER ROLE; CREATE FUNCTION) and the SQL nested in DO blocks and function bodies, including
    /// <c>EXECUTE '...'</c> and <c>EXECUTE format(...)</c> with literal arguments or a loop over an ARRAY of literals.
    /// </summary>
    internal sealed class CatalogBuilder
    {
        private const int MaxNesting = 4;

        private readonly Dictionary<string, CatalogTable> _tables = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CatalogView> _views = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CatalogRole> _roles = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ImmutableArray<string>> _functions = new(StringComparer.Ordinal);
        private readonly List<CatalogProblem> _problems = new();
        private int _documents;

        /// <summary>Whether a text may hold row-level security statements (a cheap test before lexing C# strings).</summary>
        public static bool MentionsRowLevelSecurity(string text) =>
            text.IndexOf("policy", StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf("row level security", StringComparison.OrdinalIgnoreCase) >= 0;

        public void Read(MigrationDocument document)
        {
            _documents++;
            ReadScript(document, 0);
        }

        public PolicyCatalog Build()
        {
            var functions = _functions.ToImmutableDictionary(StringComparer.Ordinal);
            foreach (var table in _tables.Values)
            {
                for (var i = 0; i < table.Policies.Count; i++)
                {
                    var policy = table.Policies[i];
                    table.Policies[i] = new CatalogPolicy(
                        policy.Name, policy.Table, policy.Command, policy.Permissive, policy.Roles,
                        policy.Using?.WithFunctionSettings(functions), policy.WithCheck?.WithFunctionSettings(functions), policy.Location);
                }
            }

            return _documents == 0 && _tables.Count == 0 && _problems.Count == 0
                ? PolicyCatalog.Empty
                : new PolicyCatalog(
                    _tables.ToImmutableDictionary(StringComparer.Ordinal),
                    _views.Values.ToImmutableArray(),
                    _roles.Values.ToImmutableArray(),
                    functions,
                    _problems.ToImmutableArray(),
                    _documents);
        }

        private void ReadScript(MigrationDocument document, int depth)
        {
            foreach (var statement in document.Script.Statements)
            {
                ReadStatement(document, new StatementCursor(document.Script, statement.Tokens), depth);
            }
        }

        private void ReadStatement(MigrationDocument document, StatementCursor s, int depth)
        {
            switch (s.Word(0))
            {
                case "create":
                    {
                        var i = 1;
                        if (s.Is(i, "or") && s.Is(i + 1, "replace"))
                        {
                            i += 2;
                        }

                        while (s.Word(i) is "temp" or "temporary" or "unlogged" or "global" or "local" or "recursive" or "materialized" or "unique")
                        {
                            i++;
                        }

                        switch (s.Word(i))
                        {
                            case "policy":
                                CreatePolicy(document, s);
                                break;
                            case "table":
                                CreateTable(document, s, i + 1);
                                break;
                            case "index":
                                CreateIndex(document, s, i + 1);
                                break;
                            case "view":
                                CreateView(document, s, i + 1);
                                break;
                            case "function":
                            case "procedure":
                                CreateFunction(document, s, i + 1, depth);
                                break;
                            case "role":
                            case "user":
                                Role(document, s, i + 1, create: true);
                                break;
                        }

                        break;
                    }

                case "alter":
                    switch (s.Word(1))
                    {
                        case "policy":
                            AlterPolicy(document, s);
                            break;
                        case "table":
                            AlterTable(document, s);
                            break;
                        case "view":
                            AlterView(document, s);
                            break;
                        case "role":
                        case "user":
                            Role(document, s, 2, create: false);
                            break;
                    }

                    break;
                case "drop":
                    switch (s.Word(1))
                    {
                        case "policy":
                            DropPolicy(document, s);
                            break;
                        case "table":
                            DropTables(s);
                            break;
                        case "view":
                            DropViews(s);
                            break;
                    }

                    break;
                case "grant":
                    Grant(document, s);
                    break;
                case "do":
                    for (var i = 1; i < s.Length; i++)
                    {
                        if (s.Tokens[i].Kind is SqlTokenKind.DollarString or SqlTokenKind.String)
                        {
                            ReadBody(document, s.Tokens[i], depth);
                            break;
                        }
                    }

                    break;
            }
        }

        // ---- policies ----

        private void CreatePolicy(MigrationDocument document, StatementCursor s)
        {
            // CREATE POLICY name ON table [AS PERMISSIVE|RESTRICTIVE] [FOR cmd] [TO roles] [USING (..)] [WITH CHECK (..)]
            var i = 2;
            var name = s.Name(ref i);
            if (name is null || !s.Is(i, "on"))
            {
                Problem(document, s, "the policy's name is not literal SQL");
                return;
            }

            i++;
            var tableName = s.Name(ref i, out var schema);
            if (tableName is null)
            {
                Problem(document, s, "the policy's table is not literal SQL");
                return;
            }

            var permissive = true;
            var command = PolicyCommand.All;
            var roles = ImmutableArray<string>.Empty;
            PolicyExpression? usingExpression = null;
            PolicyExpression? withCheck = null;
            while (i < s.Length)
            {
                switch (s.Word(i))
                {
                    case "as":
                        permissive = !s.Is(i + 1, "restrictive");
                        i += 2;
                        break;
                    case "for":
                        command = ReadCommand(s.Word(i + 1));
                        i += 2;
                        break;
                    case "to":
                        roles = ReadRoles(s, ref i);
                        break;
                    case "using":
                        usingExpression = ReadExpression(s, ref i);
                        break;
                    case "with" when s.Is(i + 1, "check"):
                        i++;
                        withCheck = ReadExpression(s, ref i);
                        break;
                    default:
                        i++;
                        break;
                }
            }

            var table = TableFor(tableName, schema);
            table.Policies.RemoveAll(p => p.Name == name);
            table.Policies.Add(new CatalogPolicy(name, table.Name, command, permissive, roles, usingExpression, withCheck, document.Locate(s.Start, s.End)));
        }

        private void AlterPolicy(MigrationDocument document, StatementCursor s)
        {
            // ALTER POLICY name ON table RENAME TO new | [TO roles] [USING (..)] [WITH CHECK (..)]
            var i = 2;
            var name = s.Name(ref i);
            if (name is null || !s.Is(i, "on"))
            {
                Problem(document, s, "the policy's name is not literal SQL");
                return;
            }

            i++;
            var tableName = s.Name(ref i);
            if (tableName is null)
            {
                Problem(document, s, "the policy's table is not literal SQL");
                return;
            }

            var table = Find(tableName);
            var index = table?.Policies.FindIndex(p => p.Name == name) ?? -1;
            if (table is null || index < 0)
            {
                Problem(document, s, $"no earlier migration creates policy '{name}' on '{tableName}'");
                return;
            }

            var policy = table.Policies[index];
            if (s.Is(i, "rename") && s.Is(i + 1, "to"))
            {
                i += 2;
                var newName = s.Name(ref i);
                table.Policies[index] = policy.With(name: newName ?? name);
                return;
            }

            ImmutableArray<string>? roles = null;
            PolicyExpression? usingExpression = null;
            PolicyExpression? withCheck = null;
            while (i < s.Length)
            {
                switch (s.Word(i))
                {
                    case "to":
                        roles = ReadRoles(s, ref i);
                        break;
                    case "using":
                        usingExpression = ReadExpression(s, ref i);
                        break;
                    case "with" when s.Is(i + 1, "check"):
                        i++;
                        withCheck = ReadExpression(s, ref i);
                        break;
                    default:
                        i++;
                        break;
                }
            }

            table.Policies[index] = policy.With(roles: roles, usingExpression: usingExpression, withCheck: withCheck, location: document.Locate(s.Start, s.End));
        }

        private void DropPolicy(MigrationDocument document, StatementCursor s)
        {
            // DROP POLICY [IF EXISTS] name ON table
            var i = s.SkipIfExists(2);
            var name = s.Name(ref i);
            if (name is null || !s.Is(i, "on"))
            {
                Problem(document, s, "the policy's name is not literal SQL");
                return;
            }

            i++;
            var tableName = s.Name(ref i);
            if (tableName is null)
            {
                Problem(document, s, "the policy's table is not literal SQL");
                return;
            }

            Find(tableName)?.Policies.RemoveAll(p => p.Name == name);
        }

        private static PolicyCommand ReadCommand(string word) => word switch
        {
            "select" => PolicyCommand.Select,
            "insert" => PolicyCommand.Insert,
            "update" => PolicyCommand.Update,
            "delete" => PolicyCommand.Delete,
            _ => PolicyCommand.All,
        };

        private static ImmutableArray<string> ReadRoles(StatementCursor s, ref int i)
        {
            // TO role [, role ...]
            var roles = ImmutableArray.CreateBuilder<string>();
            i++;
            while (i < s.Length && !s.Is(i, "using") && !s.Is(i, "with"))
            {
                if (s.Script.IdentifierValue(s.Tokens[i]) is { } role)
                {
                    roles.Add(role);
                }

                i++;
            }

            return roles.Count == 1 && roles[0] == "public" ? ImmutableArray<string>.Empty : roles.ToImmutable();
        }

        private static PolicyExpression? ReadExpression(StatementCursor s, ref int i)
        {
            // USING ( expression ) / CHECK ( expression )
            i++;
            if (!s.IsKind(i, SqlTokenKind.OpenParen))
            {
                return null;
            }

            var close = s.Close(i);
            if (close < 0)
            {
                i = s.Length;
                return null;
            }

            var expression = PolicyExpressionReader.Read(s.Slice(i + 1, close));
            i = close + 1;
            return expression;
        }

        // ---- tables ----

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
                if (a.Is(i, "constraint"))
                {
                    i += 2;
                }

                if (a.Is(i, "foreign") || a.Is(i, "primary") || a.Is(i, "unique") || a.Is(i, "check") || a.Is(i, "exclude"))
                {
                    TableConstraint(document, statement, TableFor(tableName, schema), a.Slice(i));
                    return;
                }

                if (a.Is(i, "column"))
                {
                    i++;
                }

                i = a.SkipIfExists(i);
                ColumnDefinition(document, statement, TableFor(tableName, schema), a.Slice(i));
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
                if (element.Is(0, "constraint"))
                {
                    j = 2;
                }

                if (element.Word(j) is "primary" or "foreign" or "unique" or "check" or "exclude" or "like")
                {
                    TableConstraint(document, s, table, element.Slice(j));
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

            for (; i < column.Length; i++)
            {
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

        private void TableConstraint(MigrationDocument document, StatementCursor statement, CatalogTable table, StatementCursor constraint)
        {
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
            table.ForeignKeys.Add(new CatalogForeignKey(table.Name, columns, target, referenced, document.Locate(statement.Start, statement.End)));
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

        // ---- views ----

        private void CreateView(MigrationDocument document, StatementCursor s, int i)
        {
            // CREATE [OR REPLACE] VIEW name [(columns)] [WITH (options)] AS query
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
            for (; i < s.Length; i++)
            {
                if (s.Script.IdentifierValue(s.Tokens[i]) is { } word && (_tables.ContainsKey(word) || _views.ContainsKey(word)) && !tables.Contains(word))
                {
                    tables.Add(word);
                }
            }

            _views[name] = new CatalogView(name, tables.ToImmutable(), securityInvoker, document.Locate(s.Start, s.End));
        }

        private void AlterView(MigrationDocument document, StatementCursor s)
        {
            // ALTER VIEW [IF EXISTS] name SET ( security_invoker = true ) | RESET ( security_invoker ) | RENAME TO new
            var i = s.SkipIfExists(2);
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
                    _views[newName] = new CatalogView(newName, view.Tables, view.SecurityInvoker, view.Location);
                }
            }
        }

        private void DropViews(StatementCursor s)
        {
            var i = s.SkipIfExists(2);
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

        // ---- grants and roles ----

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

        // ---- functions, DO blocks, dynamic SQL ----

        private void CreateFunction(MigrationDocument document, StatementCursor s, int i, int depth)
        {
            // CREATE FUNCTION name (args) RETURNS ... AS $$ body $$ | AS 'body'
            var name = s.Name(ref i, out var schema);
            if (name is null)
            {
                return;
            }

            for (var k = i; k < s.Length; k++)
            {
                if (s.Is(k, "as") && k + 1 < s.Length && s.Tokens[k + 1].Kind is SqlTokenKind.DollarString or SqlTokenKind.String)
                {
                    var body = document.Nested(s.Tokens[k + 1]);
                    if (body is null)
                    {
                        return;
                    }

                    var settings = PolicyExpressionReader.SettingsIn(body.Script);
                    _functions[name] = settings;
                    if (schema is not null)
                    {
                        _functions[schema + "." + name] = settings;
                    }

                    if (depth < MaxNesting)
                    {
                        ReadProcedural(body, depth + 1);
                    }

                    return;
                }
            }
        }

        private void ReadBody(MigrationDocument document, SqlToken body, int depth)
        {
            if (depth >= MaxNesting || document.Nested(body) is not { } nested)
            {
                return;
            }

            ReadProcedural(nested, depth + 1);
        }

        /// <summary>
        /// Reads a PL/pgSQL body: the SQL statements it runs directly (after BEGIN, THEN, LOOP ...), and the SQL it
        /// runs with EXECUTE when that SQL is known from literals.
        /// </summary>
        private void ReadProcedural(MigrationDocument body, int depth)
        {
            foreach (var statement in body.Script.Statements)
            {
                var s = new StatementCursor(body.Script, statement.Tokens);
                for (var k = 0; k < s.Length; k++)
                {
                    if (s.Is(k, "execute"))
                    {
                        Execute(body, s, k, depth);
                        break;
                    }

                    if (s.Word(k) is "create" or "alter" or "drop" or "grant"
                        && s.Word(k + 1) is "policy" or "table" or "index" or "unique" or "view" or "role" or "user" or "or" or "function" or "select" or "insert" or "update" or "delete" or "all")
                    {
                        ReadStatement(body, s.Slice(k), depth);
                        break;
                    }
                }
            }
        }

        private void Execute(MigrationDocument body, StatementCursor s, int k, int depth)
        {
            // EXECUTE 'sql' | EXECUTE format('fmt', args...) | EXECUTE 'a' || 'b'
            var start = k + 1;
            var end = start;
            while (end < s.Length && !s.Is(end, "using") && !s.Is(end, "into"))
            {
                end++;
            }

            var expression = s.Slice(start, end);
            var texts = DynamicSql(body, expression, out var unreadable);
            foreach (var text in texts)
            {
                var nested = body.FromText(text, expression.Start, expression.End);
                ReadScript(nested, depth + 1);
            }

            if (unreadable is not null && MentionsRowLevelSecurity(expression.Text()))
            {
                Problem(body, s.Slice(k, end), unreadable);
            }
        }

        /// <summary>The SQL texts an EXECUTE expression may run, when they follow from literals.</summary>
        private static List<string> DynamicSql(MigrationDocument body, StatementCursor e, out string? unreadable)
        {
            unreadable = null;
            var result = new List<string>();
            if (e.Length == 1 && e.Tokens[0].Kind is SqlTokenKind.String or SqlTokenKind.DollarString)
            {
                if (body.Nested(e.Tokens[0]) is { } nested)
                {
                    result.Add(nested.Script.Text);
                }

                return result;
            }

            if (e.Is(0, "format") && e.IsKind(1, SqlTokenKind.OpenParen))
            {
                var items = e.Items(1, out _);
                if (items.Length == 0 || items[0].Length != 1 || e.Script.StringValue(items[0][0]) is not { } format)
                {
                    unreadable = "the format string is not a literal";
                    return result;
                }

                var alternatives = new List<List<string>>();
                for (var a = 1; a < items.Length; a++)
                {
                    var values = ArgumentValues(body, new StatementCursor(e.Script, items[a]));
                    if (values is null)
                    {
                        unreadable = $"EXECUTE format(...) takes '{new StatementCursor(e.Script, items[a]).Text()}', known only at run time";
                        return result;
                    }

                    alternatives.Add(values);
                }

                foreach (var combination in Combinations(alternatives))
                {
                    result.Add(Format(format, combination));
                }

                return result;
            }

            // 'ALTER TABLE ' || 'x' || ' ENABLE ROW LEVEL SECURITY'
            var text = new StringBuilder();
            for (var i = 0; i < e.Length; i++)
            {
                if (i % 2 == 1)
                {
                    if (!e.IsOperator(i, "||"))
                    {
                        unreadable = "the SQL is computed at run time";
                        return result;
                    }

                    continue;
                }

                if (e.Script.StringValue(e.Tokens[i]) is not { } part)
                {
                    unreadable = "the SQL is computed at run time";
                    return result;
                }

                text.Append(part);
            }

            if (e.Length > 0)
            {
                result.Add(text.ToString());
            }

            return result;
        }

        /// <summary>
        /// The values a format() argument takes: a literal, or a loop variable over an ARRAY of literals
        /// (<c>FOREACH t IN ARRAY ARRAY['a', 'b']</c>, <c>FOR t IN SELECT unnest(ARRAY['a', 'b'])</c>).
        /// </summary>
        private static List<string>? ArgumentValues(MigrationDocument body, StatementCursor argument)
        {
            if (argument.Length == 1 && argument.Script.StringValue(argument.Tokens[0]) is { } literal)
            {
                return new List<string> { literal };
            }

            if (argument.Length != 1 || argument.Script.IdentifierValue(argument.Tokens[0]) is not { } variable)
            {
                return null;
            }

            foreach (var statement in body.Script.Statements)
            {
                var s = new StatementCursor(body.Script, statement.Tokens);
                for (var i = 0; i + 2 < s.Length; i++)
                {
                    if (s.Word(i) is not ("for" or "foreach") || s.Word(i + 1) != variable || !s.Is(i + 2, "in"))
                    {
                        continue;
                    }

                    for (var j = i + 3; j + 1 < s.Length && !s.Is(j, "loop"); j++)
                    {
                        if (s.Is(j, "array") && s.IsKind(j + 1, SqlTokenKind.OpenBracket))
                        {
                            var values = new List<string>();
                            foreach (var item in s.Items(j + 1, out _))
                            {
                                if (item.Length != 1 || s.Script.StringValue(item[0]) is not { } value)
                                {
                                    return null;
                                }

                                values.Add(value);
                            }

                            return values;
                        }
                    }
                }
            }

            return null;
        }

        private static IEnumerable<List<string>> Combinations(List<List<string>> alternatives)
        {
            IEnumerable<List<string>> result = new[] { new List<string>() };
            foreach (var values in alternatives)
            {
                result = result.SelectMany(prefix => values.Select(v => new List<string>(prefix) { v })).ToList();
            }

            return result.Take(64);
        }

        /// <summary>PostgreSQL's format(): %s, %I, %L, %%, and positions (%1$I).</summary>
        internal static string Format(string format, IReadOnlyList<string> arguments)
        {
            var result = new StringBuilder(format.Length);
            var next = 0;
            for (var i = 0; i < format.Length; i++)
            {
                var c = format[i];
                if (c != '%' || i + 1 >= format.Length)
                {
                    result.Append(c);
                    continue;
                }

                i++;
                if (format[i] == '%')
                {
                    result.Append('%');
                    continue;
                }

                var position = -1;
                var digits = i;
                while (digits < format.Length && char.IsDigit(format[digits]))
                {
                    digits++;
                }

                if (digits > i && digits < format.Length && format[digits] == '$')
                {
                    position = int.Parse(format.Substring(i, digits - i), System.Globalization.CultureInfo.InvariantCulture) - 1;
                    i = digits + 1;
                }

                while (i < format.Length && (format[i] == '-' || char.IsDigit(format[i])))
                {
                    i++;
                }

                if (i >= format.Length)
                {
                    break;
                }

                var index = position >= 0 ? position : next;
                next = index + 1;
                var value = index < arguments.Count ? arguments[index] : string.Empty;
                switch (format[i])
                {
                    case 'I':
                        result.Append(QuoteIdentifier(value));
                        break;
                    case 'L':
                        result.Append('\'').Append(value.Replace("'", "''")).Append('\'');
                        break;
                    default:
                        result.Append(value);
                        break;
                }
            }

            return result.ToString();
        }

        private static string QuoteIdentifier(string value)
        {
            foreach (var c in value)
            {
                if (!(c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c == '_' || c == '.'))
                {
                    return "\"" + value.Replace("\"", "\"\"") + "\"";
                }
            }

            return value;
        }

        // ---- helpers ----

        private CatalogTable TableFor(string name, string? schema)
        {
            if (!_tables.TryGetValue(name, out var table))
            {
                table = new CatalogTable(name);
                _tables[name] = table;
            }

            table.Schema ??= schema;
            return table;
        }

        private CatalogTable? Find(string name) => _tables.TryGetValue(name, out var table) ? table : null;

        private void Problem(MigrationDocument document, StatementCursor s, string reason)
        {
            var text = s.Text();
            _problems.Add(new CatalogProblem(document.Locate(s.Start, s.End), text.Length > 100 ? text.Substring(0, 97) + "..." : text, reason));
        }
    }
}
