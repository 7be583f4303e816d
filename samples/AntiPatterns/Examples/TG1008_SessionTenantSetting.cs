using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1008: a session-level setting survives on the server connection the pool hands out next.</summary>
public static class TG1008_SessionTenantSetting
{
    public static async Task Bad(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, false)", new { tenant });
    }

    public static async Task Fixed(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        await tx.CommitAsync();
    }

    /// <summary>What the next user of the pool sees (no setting of its own).</summary>
    public static async Task<string?> NextUserSeesAsync(NpgsqlDataSource ds)
    {
        await using var conn = await ds.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<string?>("SELECT nullif(current_setting('app.tenant_id', true), '')");
    }
}
