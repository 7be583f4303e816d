using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1005: the provider call happens while the transaction is open (idle in transaction).</summary>
public static class TG1005_NetworkCallInTransaction
{
    public static async Task Bad(NpgsqlDataSource ds, HttpClient provider, string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        var name = await provider.GetStringAsync("customer");
        await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
        await tx.CommitAsync();
    }

    public static async Task Fixed(NpgsqlDataSource ds, HttpClient provider, string tenant)
    {
        var name = await provider.GetStringAsync("customer");
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
        await tx.CommitAsync();
    }
}
