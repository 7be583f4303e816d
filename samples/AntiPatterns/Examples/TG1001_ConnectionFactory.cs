using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>
/// TG1001 through the project's own connection factory: every repository opens its connection there, and nothing on
/// the way applies the tenant.
/// </summary>
public sealed class TG1001_ConnectionFactory(NpgsqlDataSource dataSource)
{
    /// <summary>The factory: opens a pooled connection and sets nothing on it.</summary>
    public async Task<NpgsqlConnection> OpenAsync() => await dataSource.OpenConnectionAsync();

    /// <summary>The query sees no rows: the connection from the factory carries no tenant setting.</summary>
    public async Task<long> Bad()
    {
        await using var conn = await OpenAsync();
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts");
    }

    /// <summary>The setting and the query in one transaction on the factory's connection.</summary>
    public async Task<long> Fixed(string tenant)
    {
        await using var conn = await OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        var count = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts", transaction: tx);
        await tx.CommitAsync();
        return count;
    }
}
