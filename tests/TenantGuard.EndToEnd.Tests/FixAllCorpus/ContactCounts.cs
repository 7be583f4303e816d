using Dapper;
using Npgsql;

namespace Corpus;

/// <summary>Tenants identified by a Guid.</summary>
public static class ContactCounts
{
    // TG1012: a Guid spliced into the SQL text (not injectable, still better bound).
    public static async Task<int> CountForAsync(NpgsqlDataSource ds, Guid tenantId)
    {
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync($"SET LOCAL app.tenant_id = '{tenantId}'", transaction: tx);
        var count = await conn.ExecuteScalarAsync<int>("SELECT count(*)::int FROM contacts", transaction: tx);
        await tx.CommitAsync();
        return count;
    }
}
