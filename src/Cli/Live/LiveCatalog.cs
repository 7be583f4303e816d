using System.Text;
using Npgsql;

namespace TenantGuard.Cli.Live;

/// <summary>
/// The row-level-security facts of a live database, read from its catalog (<c>pg_class.relrowsecurity</c> and
/// <c>relforcerowsecurity</c>, <c>pg_policies</c>, owners, <c>pg_roles.rolbypassrls</c> and <c>rolsuper</c>, views and
/// their <c>security_invoker</c>, materialized views, foreign keys, indexes, grants to PUBLIC), and written back as DDL, one statement group
/// per object, so that the schema rules read the live schema with the same SQL reader as the migrations.
/// </summary>
public sealed class LiveCatalog
{
    public sealed record Table(string Name, bool RlsEnabled, bool RlsForced, string Owner, List<(string Name, string Command, bool Permissive, string Using, string? WithCheck)> Policies);

    public required string Server { get; init; }

    public required string Database { get; init; }

    public required string Role { get; init; }

    public bool Superuser { get; init; }

    public bool BypassRls { get; init; }

    public Dictionary<string, Table> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>The catalog as DDL.</summary>
    public string Ddl { get; private set; } = "";

    /// <summary>For each object, the first line of its DDL (1-based), to name the object a finding on a line is about.</summary>
    public List<(int Line, string Object)> Objects { get; } = new();

    public string ObjectAt(int line) => Objects.LastOrDefault(o => o.Line <= line).Object ?? Database;

    public static async Task<LiveCatalog> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (role, superuser, bypass) = await SingleAsync(connection, "SELECT current_user::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
            r => (r.GetString(0), r.GetBoolean(1), r.GetBoolean(2)), cancellationToken);
        var catalog = new LiveCatalog
        {
            Server = $"{connection.Host}:{connection.Port}",
            Database = connection.Database,
            Role = role,
            Superuser = superuser,
            BypassRls = bypass,
        };
        const string UserSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";
        var ddl = new StringBuilder();

        var roles = await ListAsync(connection, "SELECT rolname::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname !~ '^pg_' AND (rolsuper OR rolbypassrls) ORDER BY 1",
            r => (r.GetString(0), r.GetBoolean(1), r.GetBoolean(2)), cancellationToken);
        foreach (var (name, isSuper, bypassRls) in roles)
        {
            catalog.Add(ddl, "role " + name, $"CREATE ROLE {Quote(name)}{(isSuper ? " SUPERUSER" : "")}{(bypassRls ? " BYPASSRLS" : "")};");
        }

        var columns = (await ListAsync(connection, $"""
            SELECT n.nspname::text, c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND {UserSchemas}
            ORDER BY 1, 2, a.attnum
            """, r => (Table: Name(r.GetString(0), r.GetString(1)), Column: r.GetString(2), Type: r.GetString(3)), cancellationToken)).ToLookup(c => c.Table);
        var constraints = (await ListAsync(connection, $"""
            SELECT n.nspname::text, c.relname::text, k.conname::text, pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype IN ('p', 'u', 'f') AND {UserSchemas}
            ORDER BY 1, 2, k.contype DESC, 3
            """, r => (Table: Name(r.GetString(0), r.GetString(1)), Name: r.GetString(2), Definition: r.GetString(3)), cancellationToken)).ToLookup(c => c.Table);
        var tables = await ListAsync(connection, $"""
            SELECT n.nspname::text, c.relname::text, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner)::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND {UserSchemas}
            ORDER BY 1, 2
            """, r => (Name: Name(r.GetString(0), r.GetString(1)), Rls: r.GetBoolean(2), Force: r.GetBoolean(3), Owner: r.GetString(4)), cancellationToken);
        var policies = (await ListAsync(connection, """
            SELECT schemaname::text, tablename::text, policyname::text, permissive, roles::text[], cmd, qual, with_check
            FROM pg_policies ORDER BY 1, 2, 3
            """, r => (Table: Name(r.GetString(0), r.GetString(1)), Name: r.GetString(2), Permissive: r.GetString(3) == "PERMISSIVE",
                Roles: r.GetFieldValue<string[]>(4), Command: r.GetString(5), Using: r.IsDBNull(6) ? null : r.GetString(6), WithCheck: r.IsDBNull(7) ? null : r.GetString(7)), cancellationToken)).ToLookup(p => p.Table);
        var indexes = (await ListAsync(connection, $"""
            SELECT n.nspname::text, t.relname::text, i.relname::text, x.indisunique,
                   array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE NOT x.indisprimary AND {UserSchemas}
            ORDER BY 1, 2, 3
            """, r => (Table: Name(r.GetString(0), r.GetString(1)), Name: r.GetString(2), Unique: r.GetBoolean(3), Columns: r.GetFieldValue<string[]>(4)), cancellationToken)).ToLookup(i => i.Table);
        var publicGrants = (await ListAsync(connection, $"""
            SELECT n.nspname::text, c.relname::text, string_agg(DISTINCT a.privilege_type, ', ')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
            WHERE a.grantee = 0 AND c.relkind IN ('r', 'p', 'v') AND {UserSchemas}
            GROUP BY 1, 2
            """, r => (Table: Name(r.GetString(0), r.GetString(1)), Privileges: r.GetString(2)), cancellationToken)).ToLookup(g => g.Table);

        foreach (var table in tables)
        {
            var body = new List<string>();
            body.AddRange(columns[table.Name].Select(c => $"    {Quote(c.Column)} {c.Type}"));
            body.AddRange(constraints[table.Name].Select(c => $"    CONSTRAINT {Quote(c.Name)} {c.Definition}"));
            var text = new StringBuilder($"CREATE TABLE {table.Name} (\n{string.Join(",\n", body)}\n);\n");
            foreach (var index in indexes[table.Name])
            {
                text.Append($"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {Quote(index.Name)} ON {table.Name} ({string.Join(", ", index.Columns.Select(Quote))});\n");
            }

            if (table.Rls)
            {
                text.Append($"ALTER TABLE {table.Name} ENABLE ROW LEVEL SECURITY;\n");
            }

            if (table.Force)
            {
                text.Append($"ALTER TABLE {table.Name} FORCE ROW LEVEL SECURITY;\n");
            }

            var live = new Table(table.Name, table.Rls, table.Force, table.Owner, new());
            foreach (var policy in policies[table.Name])
            {
                var roleList = policy.Roles.Length == 0 || policy.Roles.Contains("public") ? "PUBLIC" : string.Join(", ", policy.Roles.Select(Quote));
                text.Append($"CREATE POLICY {Quote(policy.Name)} ON {table.Name} AS {(policy.Permissive ? "PERMISSIVE" : "RESTRICTIVE")} FOR {policy.Command} TO {roleList}");
                text.Append(policy.Using is null ? "" : $" USING ({policy.Using})");
                text.Append(policy.WithCheck is null ? "" : $" WITH CHECK ({policy.WithCheck})");
                text.Append(";\n");
                live.Policies.Add((policy.Name, policy.Command, policy.Permissive, policy.Using ?? "", policy.WithCheck));
            }

            foreach (var grant in publicGrants[table.Name])
            {
                text.Append($"GRANT {grant.Privileges} ON {table.Name} TO PUBLIC;\n");
            }

            catalog.Tables[table.Name] = live;
            catalog.Add(ddl, table.Name, text.ToString().TrimEnd('\n'));
        }

        var views = await ListAsync(connection, $"""
            SELECT n.nspname::text, c.relname::text, pg_get_viewdef(c.oid), coalesce(c.reloptions @> ARRAY['security_invoker=true'] OR c.reloptions @> ARRAY['security_invoker=on'], false), c.relkind = 'm'
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v', 'm') AND {UserSchemas}
            ORDER BY 1, 2
            """, r => (Name: Name(r.GetString(0), r.GetString(1)), Definition: r.GetString(2), Invoker: r.GetBoolean(3), Materialized: r.GetBoolean(4)), cancellationToken);
        foreach (var view in views)
        {
            var create = view.Materialized ? "CREATE MATERIALIZED VIEW" : "CREATE VIEW";
            catalog.Add(ddl, view.Name, $"{create} {view.Name}{(view.Invoker ? " WITH (security_invoker = true)" : "")} AS\n{view.Definition.Trim().TrimEnd(';')};");
        }

        catalog.Ddl = ddl.ToString();
        return catalog;
    }

    private int _lines;

    private void Add(StringBuilder ddl, string name, string text)
    {
        Objects.Add((_lines + 1, name));
        ddl.Append(text).Append("\n\n");
        _lines += text.Count(c => c == '\n') + 2;
    }

    /// <summary>public.contacts is written contacts; any other schema stays.</summary>
    private static string Name(string schema, string table) => schema == "public" ? table : schema + "." + table;

    private static string Quote(string identifier) =>
        System.Text.RegularExpressions.Regex.IsMatch(identifier, "^[a-z_][a-z0-9_$]*$") ? identifier : "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static async Task<List<T>> ListAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(read(reader));
        }

        return result;
    }

    private static async Task<T> SingleAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken) =>
        (await ListAsync(connection, sql, read, cancellationToken)).Single();
}
