using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>The examples' database: contacts under a forced RLS policy, reached as ap_app (no BYPASSRLS).</summary>
public static class Database
{
    public static async Task MigrateAsync(string ownerConnectionString)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        using var stream = typeof(Database).Assembly.GetManifestResourceStream("migrations/001_schema.sql")!;
        using var reader = new StreamReader(stream);
        await using var command = new NpgsqlCommand(await reader.ReadToEndAsync(), connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Adds contacts for a tenant the right way (used to set the scene).</summary>
    public static async Task SeedAsync(NpgsqlDataSource ds, string tenant, params string[] names)
    {
        await using var connection = await ds.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1, true)") { Parameters = { new() { Value = tenant } } });
        foreach (var name in names)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO contacts (name) VALUES ($1)") { Parameters = { new() { Value = name } } });
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}
