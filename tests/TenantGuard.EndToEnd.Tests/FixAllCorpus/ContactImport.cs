using Microsoft.Extensions.Logging;
using Npgsql;

namespace Corpus;

/// <summary>An import written with Npgsql commands only (no Dapper in this file), with several TenantGuard findings.</summary>
public sealed class ContactImport(NpgsqlDataSource ds, ILogger<ContactImport> logger)
{
    // TG1009 (a using statement around the command) and TG1004: a bad row's error is caught inside the transaction,
    // which is then used again; every later row and the commit are lost.
    public async Task<int> ImportAsync(string tenant, IReadOnlyList<string?> names)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        using (var set = new NpgsqlCommand($"SET LOCAL app.tenant_id = '{tenant}'", conn, tx))
        {
            await set.ExecuteNonQueryAsync();
        }

        var imported = 0;
        foreach (var name in names)
        {
            try
            {
                await using var insert = new NpgsqlCommand("INSERT INTO contacts (name) VALUES (@name)", conn, tx);
                insert.Parameters.AddWithValue("name", (object?)name ?? DBNull.Value);
                imported += await insert.ExecuteNonQueryAsync();
            }
            catch (PostgresException)
            {
                logger.LogWarning("Skipped a contact");
            }
        }

        await tx.CommitAsync();
        return imported;
    }

    // TG1001: an Npgsql command with no tenant setting.
    public async Task<long> CountAsync(string tenant)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM contacts", conn);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    // TG1001 and TG1003: the delete runs without the tenant, and its failure is swallowed.
    public async Task<bool> TryDeleteAsync(string tenant, string name)
    {
        try
        {
            await using var conn = await ds.OpenConnectionAsync();
            await using var delete = new NpgsqlCommand("DELETE FROM contacts WHERE name = @name", conn);
            delete.Parameters.AddWithValue("name", name);
            return await delete.ExecuteNonQueryAsync() == 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
