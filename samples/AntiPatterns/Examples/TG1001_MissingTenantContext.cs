using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1001: a data-source command runs on its own pooled connection, without the setting.</summary>
public static class TG1001_MissingTenantContext
{
    /// <summary>The setting is made on one connection; the count runs on another and sees no rows.</summary>
    public static async Task<long> Bad(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        await using var count = ds.CreateCommand("SELECT count(*) FROM contacts");
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>The setting and the count in one batch: one implicit transaction on one connection.</summary>
    public static async Task<long> Fixed(NpgsqlDataSource ds, string tenant)
    {
        await using var batch = ds.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1, true)") { Parameters = { new() { Value = tenant } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM contacts"));
        await using var reader = await batch.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }
}
