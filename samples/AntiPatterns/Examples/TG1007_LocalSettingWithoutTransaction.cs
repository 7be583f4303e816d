using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1007: without a transaction the transaction-local setting ends with its command.</summary>
public static class TG1007_LocalSettingWithoutTransaction
{
    public static async Task<string?> Bad(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant });
        return await conn.ExecuteScalarAsync<string?>("SELECT nullif(current_setting('app.tenant_id', true), '')");
    }

    public static async Task<string?> Fixed(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        var seen = await conn.ExecuteScalarAsync<string?>("SELECT nullif(current_setting('app.tenant_id', true), '')", transaction: tx);
        await tx.CommitAsync();
        return seen;
    }
}
