using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using TenantGuard.Analyzers.Sql;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>CREATE, ALTER and DROP POLICY.</summary>
    internal sealed partial class CatalogBuilder
    {
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
    }
}
