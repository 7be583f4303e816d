using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

public sealed record ImportOutcome(int Reported, List<string> Errors);

/// <summary>TG1004: an import that fetches every row and creates none (docs/postgres-behaviour.md row 9).</summary>
public static class TG1004_AbortedTransactionReuse
{
    /// <summary>After the first failure every insert fails with 25P02 and the commit silently rolls back.</summary>
    public static async Task<ImportOutcome> Bad(NpgsqlDataSource ds, string tenant, string?[] names)
    {
        var outcome = new ImportOutcome(0, new List<string>());
        var reported = 0;
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        foreach (var name in names)
        {
            try
            {
                reported += await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
            }
            catch (PostgresException ex)
            {
                outcome.Errors.Add(ex.SqlState);
            }
        }

        await tx.CommitAsync();
        return outcome with { Reported = reported };
    }

    /// <summary>A savepoint per row: the bad row is rolled back alone, the good rows are kept.</summary>
    public static async Task<ImportOutcome> Fixed(NpgsqlDataSource ds, string tenant, string?[] names)
    {
        var outcome = new ImportOutcome(0, new List<string>());
        var reported = 0;
        await using var conn = await ds.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        foreach (var name in names)
        {
            await tx.SaveAsync("row");
            try
            {
                reported += await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name }, tx);
                await tx.ReleaseAsync("row");
            }
            catch (PostgresException ex)
            {
                await tx.RollbackAsync("row");
                outcome.Errors.Add(ex.SqlState);
            }
        }

        await tx.CommitAsync();
        return outcome with { Reported = reported };
    }
}
