using Dapper;
using Npgsql;

namespace Corpus;

/// <summary>Dapper queries as a service team writes them, with several TenantGuard findings.</summary>
public static class ContactQueries
{
    // TG1007 on the setting and TG1001 on the count: with no transaction the setting ends with its own command.
    public static async Task<int> CountAsync(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant });
        return await conn.ExecuteScalarAsync<int>("SELECT count(*)::int FROM contacts");
    }

    // TG1001: no setting at all.
    public static async Task<List<string>> NamesAsync(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        var names = await conn.QueryAsync<string>("SELECT name FROM contacts ORDER BY name");
        return names.ToList();
    }

    // TG1008: the setting made for the whole session.
    public static async Task<int> CountWithSessionSettingAsync(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, false)", new { tenant });
        return await conn.ExecuteScalarAsync<int>("SELECT count(*)::int FROM contacts");
    }

    // TG1006: SET with a bind parameter (42601).
    public static async Task<int> RenameAsync(NpgsqlDataSource ds, string tenant, string from, string to)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SET LOCAL app.tenant_id = @tenant", new { tenant }, tx);
        var renamed = await conn.ExecuteAsync("UPDATE contacts SET name = @to WHERE name = @from", new { from, to }, tx);
        await tx.CommitAsync();
        return renamed;
    }

    // TG1009: the tenant spliced into the SQL text.
    public static async Task<int> CountSplicedAsync(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync($"SET LOCAL app.tenant_id = '{tenant}'", transaction: tx);
        var count = await conn.ExecuteScalarAsync<int>("SELECT count(*)::int FROM contacts", transaction: tx);
        await tx.CommitAsync();
        return count;
    }

    // TG1002: a named placeholder followed by a cast.
    public static async Task<int> AddWithMetaAsync(NpgsqlDataSource ds, string tenant, string name, string meta)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        var added = await conn.ExecuteAsync("INSERT INTO contacts (name, meta) VALUES (:name, :meta::jsonb)", new { name, meta }, tx);
        await tx.CommitAsync();
        return added;
    }
}
