using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TenantGuard.Analyzers.Catalog
{
    /// <summary>The commands a policy applies to (<c>FOR ALL | SELECT | INSERT | UPDATE | DELETE</c>).</summary>
    internal enum PolicyCommand
    {
        All,
        Select,
        Insert,
        Update,
        Delete,
    }

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

        /// <summary>Where the policy was created (or last altered).</summary>
        public Location? Location { get; }

        /// <summary>Every setting the policy reads, in the order they first appear (USING, then WITH CHECK).</summary>
        public ImmutableArray<string> Settings
        {
            get
            {
                var result = ImmutableArray.CreateBuilder<string>();
                foreach (var expression in new[] { Using, WithCheck })
                {
                    if (expression is null)
                    {
                        continue;
                    }

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

    /// <summary>A policy's USING or WITH CHECK expression and what TenantGuard reads from it.</summary>
    internal sealed class PolicyExpression
    {
        /// <summary>Marks a function call inside <see cref="Alternatives"/> until the function's settings are known.</summary>
        internal const string FunctionPrefix = "()";

        public PolicyExpression(string text, ImmutableArray<string> settings, ImmutableArray<ImmutableArray<string>> alternatives, ImmutableDictionary<string, string> literals, ImmutableDictionary<string, string> columns, ImmutableArray<string> functions, bool alwaysTrue)
        {
            Text = text;
            Settings = settings;
            Alternatives = alternatives;
            Literals = literals;
            Columns = columns;
            Functions = functions;
            IsAlwaysTrue = alwaysTrue;
        }

        /// <summary>The expression as written, white space folded.</summary>
        public string Text { get; }

        /// <summary>The settings it reads with <c>current_setting(...)</c>, directly or through a function of the migrations.</summary>
        public ImmutableArray<string> Settings { get; }

        /// <summary>
        /// The sets of settings that let the expression match tenant rows, one per way it can (its OR branches):
        /// <c>tenant_id = current_setting('a') OR owner = current_setting('b')</c> has two, <c>{a}</c> and <c>{b}</c>;
        /// <c>... AND ...</c> joins them. Branches that read no setting (<c>tenant_id IS NULL OR ...</c>, shared rows)
        /// are left out: they do not show a tenant its rows.
        /// </summary>
        public ImmutableArray<ImmutableArray<string>> Alternatives { get; }

        /// <summary>Settings compared with a string literal (<c>current_setting('app.role', true) = 'owner_admin'</c>): setting to literal.</summary>
        public ImmutableDictionary<string, string> Literals { get; }

        /// <summary>Settings compared with a column (<c>tenant_id = current_setting('app.tenant_id')::uuid</c>): setting to column.</summary>
        public ImmutableDictionary<string, string> Columns { get; }

        /// <summary>Functions it calls that the migrations do not define (their settings are not known).</summary>
        public ImmutableArray<string> Functions { get; }

        /// <summary><c>true</c>, <c>1 = 1</c>: the expression lets every row through.</summary>
        public bool IsAlwaysTrue { get; }

        /// <summary>Whether TenantGuard cannot tell what the expression needs: it reads no setting, is not always true, and calls functions it does not know.</summary>
        public bool IsOpaque => Settings.IsEmpty && !IsAlwaysTrue && !Functions.IsEmpty;

        /// <summary>
        /// The expression with what the migrations' functions it calls read: their settings (<paramref name="functions"/>),
        /// and the literal a gate function compares a setting with (<paramref name="gates"/>: <c>app_is_platform()</c>
        /// whose body is <c>app_mode() = 'platform'</c>).
        /// </summary>
        public PolicyExpression WithFunctionSettings(ImmutableDictionary<string, ImmutableArray<string>> functions, IReadOnlyDictionary<string, ImmutableDictionary<string, string>>? gates = null)
        {
            if (Functions.IsEmpty)
            {
                return this;
            }

            var literals = ThroughFunctions(Literals, functions);
            foreach (var function in Functions)
            {
                if (gates is not null && gates.TryGetValue(function, out var gate))
                {
                    literals = literals.SetItems(gate.Where(pair => !literals.ContainsKey(pair.Key)));
                }
            }

            ImmutableArray<string> Resolve(ImmutableArray<string> names)
            {
                var result = ImmutableArray.CreateBuilder<string>();
                foreach (var name in names)
                {
                    var read = name.StartsWith(FunctionPrefix, StringComparison.Ordinal)
                        ? functions.TryGetValue(name.Substring(FunctionPrefix.Length), out var known) ? known : ImmutableArray<string>.Empty
                        : ImmutableArray.Create(name);
                    foreach (var setting in read)
                    {
                        if (!result.Contains(setting))
                        {
                            result.Add(setting);
                        }
                    }
                }

                return result.ToImmutable();
            }

            var alternatives = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
            foreach (var alternative in Alternatives)
            {
                var resolved = Resolve(alternative);
                if (!resolved.IsEmpty)
                {
                    alternatives.Add(resolved);
                }
                else
                {
                    // A branch that only calls functions TenantGuard cannot see into (auth.uid()) may pass on
                    // anything: the policy asks for no particular setting.
                    alternatives.Clear();
                    break;
                }
            }

            var settings = Resolve(Settings.AddRange(Functions.Select(f => FunctionPrefix + f)));
            var unknown = Functions.Where(f => !functions.ContainsKey(f)).ToImmutableArray();
            return new PolicyExpression(Text, settings, alternatives.ToImmutable(), literals, ThroughFunctions(Columns, functions), unknown, IsAlwaysTrue);
        }

        /// <summary>
        /// A comparison with a function's result (<c>tenant_id = app.current_tenant_id()</c>) compares with the setting
        /// the function reads, when it reads exactly one; comparisons with other functions say nothing of a setting.
        /// </summary>
        private static ImmutableDictionary<string, string> ThroughFunctions(ImmutableDictionary<string, string> compared, ImmutableDictionary<string, ImmutableArray<string>> functions)
        {
            if (!compared.Keys.Any(k => k.StartsWith(FunctionPrefix, StringComparison.Ordinal)))
            {
                return compared;
            }

            var result = compared.ToBuilder();
            foreach (var pair in compared)
            {
                if (!pair.Key.StartsWith(FunctionPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                result.Remove(pair.Key);
                if (functions.TryGetValue(pair.Key.Substring(FunctionPrefix.Length), out var read) && read.Length == 1 && !compared.ContainsKey(read[0]))
                {
                    result[read[0]] = pair.Value;
                }
            }

            return result.ToImmutable();
        }
    }

    internal sealed class CatalogForeignKey
    {
        public CatalogForeignKey(string table, ImmutableArray<string> columns, string referencedTable, ImmutableArray<string> referencedColumns, Location? location, string? name = null)
        {
            Name = name;
            Table = table;
            Columns = columns;
            ReferencedTable = referencedTable;
            ReferencedColumns = referencedColumns;
            Location = location;
        }

        /// <summary>The constraint's name, when the migration gives one (<c>CONSTRAINT fk_x FOREIGN KEY ...</c>).</summary>
        public string? Name { get; }

        public string Table { get; }

        public ImmutableArray<string> Columns { get; }

        public string ReferencedTable { get; }

        /// <summary>Empty when the key references the primary key implicitly.</summary>
        public ImmutableArray<string> ReferencedColumns { get; }

        public Location? Location { get; }
    }

    internal sealed class CatalogIndex
    {
        public CatalogIndex(string name, string table, ImmutableArray<string> columns, bool unique, Location? location)
        {
            Name = name;
            Table = table;
            Columns = columns;
            Unique = unique;
            Location = location;
        }

        public string Name { get; }

        public string Table { get; }

        public ImmutableArray<string> Columns { get; }

        public bool Unique { get; }

        public Location? Location { get; }
    }

    internal sealed class CatalogView
    {
        public CatalogView(string name, ImmutableArray<string> tables, bool securityInvoker, Location? location, bool materialized = false, ImmutableArray<string> settings = default)
        {
            Name = name;
            Tables = tables;
            SecurityInvoker = securityInvoker;
            Location = location;
            Materialized = materialized;
            Settings = settings.IsDefault ? ImmutableArray<string>.Empty : settings;
        }

        public string Name { get; }

        /// <summary>The tables and views its query names.</summary>
        public ImmutableArray<string> Tables { get; }

        public bool SecurityInvoker { get; }

        public Location? Location { get; }

        /// <summary>
        /// A materialized view: its rows are stored as the role that last refreshed it saw them, and reading it checks no
        /// policy (a materialized view takes neither row-level security nor <c>security_invoker</c>).
        /// </summary>
        public bool Materialized { get; }

        /// <summary>The settings its query filters by (<c>current_setting(...)</c> after WHERE, ON or HAVING, directly or in a function of the migrations).</summary>
        public ImmutableArray<string> Settings { get; }

        public CatalogView WithSecurityInvoker(bool value, Location? location) => new(Name, Tables, value, location ?? Location, Materialized, Settings);

        public CatalogView Renamed(string name) => new(name, Tables, SecurityInvoker, Location, Materialized, Settings);
    }

    internal sealed class CatalogGrant
    {
        public CatalogGrant(string table, ImmutableArray<string> privileges, ImmutableArray<string> grantees, Location? location)
        {
            Table = table;
            Privileges = privileges;
            Grantees = grantees;
            Location = location;
        }

        public string Table { get; }

        public ImmutableArray<string> Privileges { get; }

        public ImmutableArray<string> Grantees { get; }

        public Location? Location { get; }
    }

    internal sealed class CatalogRole
    {
        public CatalogRole(string name, bool bypassRls, bool superuser, Location? location)
        {
            Name = name;
            BypassRls = bypassRls;
            Superuser = superuser;
            Location = location;
        }

        public string Name { get; }

        public bool BypassRls { get; }

        public bool Superuser { get; }

        public Location? Location { get; }
    }

    /// <summary>A migration statement about row-level security that TenantGuard could not read.</summary>
    internal sealed class CatalogProblem
    {
        public CatalogProblem(Location? location, string statement, string reason, string? table = null, UnknownAspects aspects = UnknownAspects.All)
        {
            Location = location;
            Statement = statement;
            Reason = reason;
            Table = table;
            Aspects = aspects;
        }

        public Location? Location { get; }

        public string Statement { get; }

        public string Reason { get; }

        /// <summary>The table the statement is about, when that much is known; null: any table that exists when it runs.</summary>
        public string? Table { get; }

        /// <summary>What the statement may have changed.</summary>
        public UnknownAspects Aspects { get; }
    }

    /// <summary>A function the migrations create: its body, where TG2005 reads the settings a policy reads through it.</summary>
    internal sealed class CatalogFunction
    {
        public CatalogFunction(string name, string body, Location? location)
        {
            Name = name;
            Body = body;
            Location = location;
        }

        /// <summary>The name as created, schema-qualified where the migration qualifies it.</summary>
        public string Name { get; }

        public string Body { get; }

        /// <summary>The CREATE FUNCTION statement.</summary>
        public Location? Location { get; }
    }

    /// <summary>A migration statement PostgreSQL rejects (TG2011): the SQL it builds, the error, and the local edit that fixes it.</summary>
    internal sealed class CatalogRejection
    {
        public CatalogRejection(Location? location, string sql, string error, (string Find, string Replace)? fix, string? unit, string advice)
        {
            Advice = advice;
            Location = location;
            Sql = sql;
            Error = error;
            Fix = fix;
            Unit = unit;
        }

        /// <summary>
        /// The migration that runs in one transaction with it (an EF Core or FluentMigrator migration, a .sql file between
        /// BEGIN and COMMIT), rolled back with it; null when only its DO block is.
        /// </summary>
        public string? Unit { get; }

        /// <summary>What to write instead.</summary>
        public string Advice { get; }

        public Location? Location { get; }

        /// <summary>The statement as PostgreSQL receives it.</summary>
        public string Sql { get; }

        /// <summary>PostgreSQL's SQLSTATE and message.</summary>
        public string Error { get; }

        public (string Find, string Replace)? Fix { get; }
    }

    /// <summary>
    /// What a migration statement TenantGuard could not read may have done to a table. A rule that would say something
    /// is missing stays silent about a table where that thing is unknown: the statement may have added it.
    /// </summary>
    [Flags]
    internal enum UnknownAspects
    {
        None = 0,

        /// <summary>Row-level security enabled, forced or disabled (TG2001, TG2002, TG2004).</summary>
        Rls = 1,

        /// <summary>Policies created, changed or dropped (TG2001, TG2004).</summary>
        Policy = 2,

        /// <summary>Indexes (TG2010).</summary>
        Index = 4,

        /// <summary>Foreign keys and the keys they reference (TG2007).</summary>
        ForeignKey = 8,

        All = Rls | Policy | Index | ForeignKey,
    }

    /// <summary>One table as the migrations leave it.</summary>
    internal sealed class CatalogTable
    {
        public CatalogTable(string name)
        {
            Name = name;
        }

        /// <summary>The unqualified name, folded to lower case unless quoted.</summary>
        public string Name { get; set; }

        /// <summary>What a statement TenantGuard could not read may have changed on this table (<see cref="UnknownAspects"/>).</summary>
        public UnknownAspects Unknown { get; set; }

        /// <summary>The schema it was named with, if any.</summary>
        public string? Schema { get; set; }

        public bool Created { get; set; }

        public Location? Location { get; set; }

        public bool RlsEnabled { get; set; }

        public bool RlsForced { get; set; }

        public Location? RlsLocation { get; set; }

        public List<string> Columns { get; } = new();

        /// <summary>Each column's type as the migration writes it (<c>uuid</c>, <c>character varying(64)</c>), where it gives one.</summary>
        public Dictionary<string, string> ColumnTypes { get; } = new(StringComparer.Ordinal);

        /// <summary>The primary key's columns (empty when the migrations declare none).</summary>
        public List<string> PrimaryKey { get; } = new();

        /// <summary>The primary key constraint's name, when the migration gives one.</summary>
        public string? PrimaryKeyName { get; set; }

        /// <summary>
        /// The table that lists the tenants themselves: its primary key is the tenant column alone
        /// (<c>tenant (tenant_id PRIMARY KEY, ...)</c>), or it is named <c>tenant</c> or <c>tenants</c>. Its rows are not
        /// any one tenant's.
        /// </summary>
        public bool IsTenantRegistry(ImmutableHashSet<string> tenantColumns) =>
            (PrimaryKey.Count == 1 && tenantColumns.Contains(PrimaryKey[0]))
            || Name.Equals("tenant", StringComparison.OrdinalIgnoreCase) || Name.Equals("tenants", StringComparison.OrdinalIgnoreCase);

        /// <summary>The table's tenant column, unless it is the tenant registry; null when it has none.</summary>
        public string? TenantColumn(ImmutableHashSet<string> tenantColumns) =>
            IsTenantRegistry(tenantColumns) ? null : Columns.Find(tenantColumns.Contains);

        /// <summary>
        /// Whether the table's rows belong to tenants: it has a tenant column (and is not the tenant registry), is
        /// configured as a tenant table, or one of its policies compares a setting with a column (isolation is meant).
        /// </summary>
        public bool HoldsTenantRows(ImmutableHashSet<string> tenantColumns, ImmutableHashSet<string> configuredTables)
        {
            if (configuredTables.Contains(Name))
            {
                return true;
            }

            if (IsTenantRegistry(tenantColumns))
            {
                return false;
            }

            if (TenantColumn(tenantColumns) is not null)
            {
                return true;
            }

            foreach (var policy in Policies)
            {
                if (policy.Using?.Columns.IsEmpty == false || policy.WithCheck?.Columns.IsEmpty == false)
                {
                    return true;
                }
            }

            return false;
        }

        public List<CatalogPolicy> Policies { get; } = new();

        public List<CatalogForeignKey> ForeignKeys { get; } = new();

        public List<CatalogIndex> Indexes { get; } = new();

        public List<CatalogGrant> Grants { get; } = new();

        /// <summary>Whether row-level security is on, or a policy names the table (a policy is written for RLS).</summary>
        public bool IsUnderRls => RlsEnabled || Policies.Count > 0;
    }

    /// <summary>
    /// What the project's migrations say about row-level security, table by table: RLS enabled and forced, every
    /// policy with the settings it reads and the columns it compares them with, foreign keys, indexes, views and
    /// grants, and the roles. Read in migration order (file name, then statement) from .sql AdditionalFiles and
    /// from SQL text in C# (EF Core <c>migrationBuilder.Sql</c>, FluentMigrator <c>Execute.Sql</c>, any string that
    /// creates or alters policies or row-level security). Built once per compilation.
    /// </summary>
    internal sealed class PolicyCatalog
    {
        public static readonly PolicyCatalog Empty = new(
            ImmutableDictionary<string, CatalogTable>.Empty, ImmutableArray<CatalogView>.Empty, ImmutableArray<CatalogRole>.Empty,
            ImmutableDictionary<string, ImmutableArray<string>>.Empty, ImmutableArray<CatalogProblem>.Empty, 0);

        public PolicyCatalog(
            ImmutableDictionary<string, CatalogTable> tables,
            ImmutableArray<CatalogView> views,
            ImmutableArray<CatalogRole> roles,
            ImmutableDictionary<string, ImmutableArray<string>> functions,
            ImmutableArray<CatalogProblem> problems,
            int documents,
            ImmutableArray<CatalogRejection> rejections = default,
            ImmutableDictionary<string, CatalogFunction>? definitions = null,
            int unreadable = 0)
        {
            Unreadable = unreadable;
            Definitions = definitions ?? ImmutableDictionary<string, CatalogFunction>.Empty;
            Rejections = rejections.IsDefault ? ImmutableArray<CatalogRejection>.Empty : rejections;
            Tables = tables;
            Views = views;
            Roles = roles;
            Functions = functions;
            Problems = problems;
            Documents = documents;

            var rls = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
            var settings = ImmutableHashSet.CreateBuilder<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var table in tables.Values)
            {
                if (table.IsUnderRls)
                {
                    rls.Add(table.Name);
                }

                foreach (var policy in table.Policies)
                {
                    settings.UnionWith(policy.Settings);
                }
            }

            RlsTables = rls.ToImmutable();
            PolicySettings = settings.ToImmutable();
        }

        /// <summary>Every table the migrations name, by unqualified name.</summary>
        public ImmutableDictionary<string, CatalogTable> Tables { get; }

        public ImmutableArray<CatalogView> Views { get; }

        public ImmutableArray<CatalogRole> Roles { get; }

        /// <summary>Of <see cref="Documents"/>, those whose SQL is known only at run time (<c>migrationBuilder.Sql(method())</c>).</summary>
        public int Unreadable { get; }

        /// <summary>Functions the migrations define, by name and by schema-qualified name, with their bodies.</summary>
        public ImmutableDictionary<string, CatalogFunction> Definitions { get; }

        /// <summary>Functions the migrations define, with the settings their bodies read.</summary>
        public ImmutableDictionary<string, ImmutableArray<string>> Functions { get; }

        /// <summary>Statements about row-level security that could not be read.</summary>
        /// <summary>Migration statements PostgreSQL rejects; what their DO block would have done is not in the catalog.</summary>
        public ImmutableArray<CatalogRejection> Rejections { get; }

        public ImmutableArray<CatalogProblem> Problems { get; }

        /// <summary>How many migration documents (files and C# strings) were read.</summary>
        public int Documents { get; }

        /// <summary>Tables with row-level security enabled or with a policy.</summary>
        public ImmutableHashSet<string> RlsTables { get; }

        /// <summary>Every setting any policy reads.</summary>
        public ImmutableHashSet<string> PolicySettings { get; }

        public CatalogTable? Table(string name) => Tables.TryGetValue(name, out var table) ? table : null;
    }
}
