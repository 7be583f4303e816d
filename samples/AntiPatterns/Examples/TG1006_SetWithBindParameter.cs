using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1006: SET takes no bind parameters (42601), and the transaction is aborted.</summary>
public static class TG1006_SetWithBindParameter
{
    public static async Task<long> Bad(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SET LOCAL app.tenant_id = @tenant", new { tenant }, tx);
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts", transaction: tx);
    }

    public static async Task<long> Fixed(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts", transaction: tx);
    }
}
