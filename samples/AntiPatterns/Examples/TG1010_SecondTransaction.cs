using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1010: a second BeginTransaction on a connection that already has one open throws.</summary>
public static class TG1010_SecondTransaction
{
    /// <summary>A helper style that begins its own transaction inside the caller's: Npgsql throws.</summary>
    public static async Task<long> Bad(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        await using var work = await conn.BeginTransactionAsync();
        var count = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts", transaction: work);
        await work.CommitAsync();
        return count;
    }

    /// <summary>One transaction carries the setting and the work.</summary>
    public static async Task<long> Fixed(NpgsqlDataSource ds, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        var count = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts", transaction: tx);
        await tx.CommitAsync();
        return count;
    }
}
