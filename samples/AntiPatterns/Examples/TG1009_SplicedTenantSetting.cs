using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1009: a crafted tenant id spliced into SET switches to another tenant.</summary>
public static class TG1009_SplicedTenantSetting
{
    public static async Task<List<string>> Bad(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync($"SET LOCAL app.tenant_id = '{tenant}'", transaction: tx);
        return (await conn.QueryAsync<string>("SELECT name FROM contacts ORDER BY name", transaction: tx)).ToList();
    }

    public static async Task<List<string>> Fixed(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        return (await conn.QueryAsync<string>("SELECT name FROM contacts ORDER BY name", transaction: tx)).ToList();
    }
}
