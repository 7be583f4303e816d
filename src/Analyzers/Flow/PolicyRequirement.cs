using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Options;
using TenantGuard.Analyzers.Sql;
using TenantGuard.Analyzers.Summaries;

namespace TenantGuard.Analyzers.Flow
{
    /// <summary>
    /// Which settings a statement needs on a table under row-level security, from the table's policies for the
    /// statement's command, as PostgreSQL combines them: a row passes when at least one permissive policy passes and
    /// every restrictive policy passes. UPDATE and DELETE also read rows, so the SELECT policies apply to them too.
    /// A policy needs every setting it reads; a policy that reads none and is not always true (it calls functions
    /// TenantGuard cannot see into) needs the tenant context of any tenant setting.
    /// </summary>
    internal static class PolicyRequirement
    {
        /// <summary>
        /// What the statement lacks on the first table it names whose policies it does not satisfy, or null.
        /// <paramref name="decided"/> is false when the statement names no table the catalog has under RLS.
        /// </summary>
        public static MissingSettings? Check(SqlStatement statement, ConnectionState state, TenantGuardOptions options, out bool decided)
        {
            decided = false;
            var catalog = options.Catalog;
            if (catalog.RlsTables.Count == 0 || state.Context == ContextState.Assumed)
            {
                decided = catalog.RlsTables.Count > 0 && NamesRlsTable(statement, catalog);
                return null;
            }

            var seen = new HashSet<string>();
            foreach (var token in statement.Tokens)
            {
                var name = statement.Script.IdentifierValue(token);
                if (name is null || !seen.Add(name) || catalog.Table(name) is not { IsUnderRls: true } table)
                {
                    continue;
                }

                decided = true;
                var command = name == statement.TargetTable ? ToCommand(statement.Command) : PolicyCommand.Select;
                var missing = Check(table, command, state, options);
                if (missing is not null)
                {
                    return missing;
                }
            }

            return null;
        }

        private static bool NamesRlsTable(SqlStatement statement, PolicyCatalog catalog)
        {
            foreach (var token in statement.Tokens)
            {
                if (statement.Script.IdentifierValue(token) is { } name && catalog.RlsTables.Contains(name))
                {
                    return true;
                }
            }

            return false;
        }

        private static PolicyCommand ToCommand(string command) => command switch
        {
            "insert" => PolicyCommand.Insert,
            "update" => PolicyCommand.Update,
            "delete" => PolicyCommand.Delete,
            _ => PolicyCommand.Select,
        };

        private static MissingSettings? Check(CatalogTable table, PolicyCommand command, ConnectionState state, TenantGuardOptions options)
        {
            var commands = command is PolicyCommand.Update or PolicyCommand.Delete ? new[] { command, PolicyCommand.Select } : new[] { command };
            foreach (var c in commands)
            {
                var permissive = table.Policies.Where(p => p.Permissive && p.AppliesTo(c)).ToList();
                if (permissive.Count == 0)
                {
                    // No permissive policy: PostgreSQL lets no row through whatever is set; any tenant setting is
                    // what TenantGuard can ask for.
                    if (!state.HasContext)
                    {
                        return new MissingSettings(table.Name, null, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty);
                    }

                    continue;
                }

                var best = Best(permissive, c, state, options);
                if (best is not null)
                {
                    return best;
                }

                foreach (var restrictive in table.Policies.Where(p => !p.Permissive && p.AppliesTo(c)))
                {
                    var missing = Best(new List<CatalogPolicy> { restrictive }, c, state, options);
                    if (missing is not null)
                    {
                        return missing;
                    }
                }
            }

            return null;
        }

        /// <summary>Null when one of the policies is satisfied; otherwise what the one closest to it lacks.</summary>
        private static MissingSettings? Best(List<CatalogPolicy> alternatives, PolicyCommand command, ConnectionState state, TenantGuardOptions options)
        {
            MissingSettings? best = null;
            foreach (var policy in alternatives)
            {
                var expression = policy.ExpressionFor(command);
                if (expression is null || expression.IsAlwaysTrue)
                {
                    return null;
                }

                if (expression.Alternatives.IsEmpty)
                {
                    if (state.HasContext)
                    {
                        return null;
                    }

                    best ??= new MissingSettings(policy.Table, null, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty);
                    continue;
                }

                foreach (var alternative in expression.Alternatives)
                {
                    var missing = ImmutableArray.CreateBuilder<string>();
                    var present = ImmutableArray.CreateBuilder<string>();
                    foreach (var setting in alternative)
                    {
                        if (!options.SettingIndex.TryGetValue(setting, out var bit))
                        {
                            continue; // not tracked: tenantguard.tenant_settings leaves it out
                        }

                        if (state.HasContext && state.Applied.Contains(bit))
                        {
                            present.Add(setting);
                        }
                        else
                        {
                            missing.Add(setting);
                        }
                    }

                    if (missing.Count == 0 && !state.HasContext)
                    {
                        best ??= new MissingSettings(policy.Table, null, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty);
                        continue;
                    }

                    if (missing.Count == 0)
                    {
                        return null;
                    }

                    if (best is null || best.Policy is null || missing.Count < best.Missing.Length)
                    {
                        best = new MissingSettings(policy.Table, policy, missing.ToImmutable(), present.ToImmutable());
                    }
                }
            }

            return best;
        }
    }
}
