using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>One row-level security policy, as the migrations leave it.</summary>
    internal sealed class CatalogPolicy
    {
        public CatalogPolicy(string name, string table, PolicyCommand command, bool permissive, ImmutableArray<string> roles, PolicyExpression? usingExpression, PolicyExpression? withCheck, Location? location)
        {
            Name = name;
            Table = table;
            Command = command;
            Permissive = permissive;
            Roles = roles;
            Using = usingExpression;
            WithCheck = withCheck;
            Location = location;
            Expressions = (usingExpression, withCheck) switch
            {
                ({ } both, { } check) => ImmutableArray.Create(both, check),
                ({ } only, null) => ImmutableArray.Create(only),
                (null, { } only) => ImmutableArray.Create(only),
                _ => ImmutableArray<PolicyExpression>.Empty,
            };
        }

        public string Name { get; }

        public string Table { get; }

        public PolicyCommand Command { get; }

        /// <summary>True for <c>AS PERMISSIVE</c> (the default), false for <c>AS RESTRICTIVE</c>.</summary>
        public bool Permissive { get; }

        /// <summary>The roles of <c>TO ...</c>; empty means PUBLIC.</summary>
        public ImmutableArray<string> Roles { get; }

        public PolicyExpression? Using { get; }

        public PolicyExpression? WithCheck { get; }

        /// <summary>The clauses the policy has, USING before WITH CHECK.</summary>
        public ImmutableArray<PolicyExpression> Expressions { get; }

        /// <summary>Where the policy was created (or last altered).</summary>
        public Location? Location { get; }

        /// <summary>Every setting the policy reads, in the order they first appear (USING, then WITH CHECK).</summary>
        public ImmutableArray<string> Settings
        {
            get
            {
                var result = ImmutableArray.CreateBuilder<string>();
                foreach (var expression in Expressions)
                {
                    foreach (var setting in expression.Settings)
                    {
                        if (!result.Contains(setting))
                        {
                            result.Add(setting);
                        }
                    }
                }

                return result.ToImmutable();
            }
        }

        /// <summary>Whether the policy applies to a statement's command on its table.</summary>
        public bool AppliesTo(PolicyCommand command) => Command == PolicyCommand.All || Command == command;

        /// <summary>The expression that filters or checks rows for a command: USING, or WITH CHECK for INSERT.</summary>
        public PolicyExpression? ExpressionFor(PolicyCommand command) =>
            command == PolicyCommand.Insert ? WithCheck ?? Using : Using ?? WithCheck;

        public CatalogPolicy With(string? name = null, string? table = null, ImmutableArray<string>? roles = null, PolicyExpression? usingExpression = null, PolicyExpression? withCheck = null, Location? location = null) =>
            new(name ?? Name, table ?? Table, Command, Permissive, roles ?? Roles, usingExpression ?? Using, withCheck ?? WithCheck, location ?? Location);
    }
}
