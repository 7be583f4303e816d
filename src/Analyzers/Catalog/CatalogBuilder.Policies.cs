using System.Collections.Immutable;
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
            if (!ReadPolicyTarget(document, s, ref i, out var name, out var tableName, out var schema))
            {
                return;
            }

            var clauses = PolicyClauses.Read(s, i);
            var table = TableFor(tableName, schema);
            table.Policies.RemoveAll(p => p.Name == name);
            table.Policies.Add(new CatalogPolicy(
                name, table.Name, clauses.Command ?? PolicyCommand.All, clauses.Permissive ?? true, clauses.Roles ?? ImmutableArray<string>.Empty,
                clauses.Using, clauses.WithCheck, document.Locate(s.Start, s.End)));
        }

        private void AlterPolicy(MigrationDocument document, StatementCursor s)
        {
            // ALTER POLICY name ON table RENAME TO new | [TO roles] [USING (..)] [WITH CHECK (..)]
            var i = 2;
            if (!ReadPolicyTarget(document, s, ref i, out var name, out var tableName, out _))
            {
                return;
            }

            var table = Find(tableName);
            var index = table?.Policies.FindIndex(p => p.Name == name) ?? -1;
            if (table is null || index < 0)
            {
                Problem(document, s, $"no earlier migration creates policy '{name}' on '{tableName}'", tableName, UnknownAspects.Policy);
                return;
            }

            var policy = table.Policies[index];
            if (s.Is(i, "rename") && s.Is(i + 1, "to"))
            {
                i += 2;
                table.Policies[index] = policy.With(name: s.Name(ref i) ?? name);
                return;
            }

            var clauses = PolicyClauses.Read(s, i);
            table.Policies[index] = policy.With(roles: clauses.Roles, usingExpression: clauses.Using, withCheck: clauses.WithCheck, location: document.Locate(s.Start, s.End));
        }

        private void DropPolicy(MigrationDocument document, StatementCursor s)
        {
            // DROP POLICY [IF EXISTS] name ON table
            var i = s.SkipIfExists(2);
            if (ReadPolicyTarget(document, s, ref i, out var name, out var tableName, out _))
            {
                Find(tableName)?.Policies.RemoveAll(p => p.Name == name);
            }
        }

        /// <summary>Reads <c>name ON table</c>; reports a problem when either is not literal SQL.</summary>
        private bool ReadPolicyTarget(MigrationDocument document, StatementCursor s, ref int i, out string name, out string table, out string? schema)
        {
            table = string.Empty;
            schema = null;
            name = s.Name(ref i) ?? string.Empty;
            if (name.Length == 0 || !s.Is(i, "on"))
            {
                // The table may still be known (CREATE POLICY <expression> ON invoices ...): only it is partly known then.
                var on = i;
                while (on < s.Length && !s.Is(on, "on"))
                {
                    on++;
                }

                on++;
                Problem(document, s, "the policy's name is not literal SQL", on < s.Length ? s.Name(ref on) : null, UnknownAspects.Policy);
                return false;
            }

            i++;
            table = s.Name(ref i, out schema) ?? string.Empty;
            if (table.Length == 0)
            {
                Problem(document, s, "the policy's table is not literal SQL", null, UnknownAspects.Policy);
                return false;
            }

            return true;
        }

        /// <summary>The clauses after <c>CREATE | ALTER POLICY name ON table</c>; null where a clause is absent.</summary>
        private sealed class PolicyClauses
        {
            public bool? Permissive { get; private set; }

            public PolicyCommand? Command { get; private set; }

            public ImmutableArray<string>? Roles { get; private set; }

            public PolicyExpression? Using { get; private set; }

            public PolicyExpression? WithCheck { get; private set; }

            public static PolicyClauses Read(StatementCursor s, int i)
            {
                var clauses = new PolicyClauses();
                while (i < s.Length)
                {
                    switch (s.Word(i))
                    {
                        case "as":
                            clauses.Permissive = !s.Is(i + 1, "restrictive");
                            i += 2;
                            break;
                        case "for":
                            clauses.Command = ReadCommand(s.Word(i + 1));
                            i += 2;
                            break;
                        case "to":
                            clauses.Roles = ReadRoles(s, ref i);
                            break;
                        case "using":
                            clauses.Using = ReadExpression(s, ref i);
                            break;
                        case "with" when s.Is(i + 1, "check"):
                            i++;
                            clauses.WithCheck = ReadExpression(s, ref i);
                            break;
                        default:
                            i++;
                            break;
                    }
                }

                return clauses;
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
}
