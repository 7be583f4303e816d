using System.Reflection;
using Npgsql;

namespace TenantPlatform.Data;

/// <summary>Applies the embedded SQL migrations in name order, once each, as the database owner.</summary>
public static class Migrator
{
    public static async Task MigrateAsync(string ownerConnectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var assembly = typeof(Migrator).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var check = new NpgsqlCommand("SELECT count(*) FROM schema_migrations WHERE name = @name", connection, transaction))
            {
                check.Parameters.AddWithValue("name", name);
                if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
                {
                    continue;
                }
            }

            await using (var apply = new NpgsqlCommand(Read(assembly, name), connection, transaction))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (name) VALUES (@name)", connection, transaction))
            {
                record.Parameters.AddWithValue("name", name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException("missing migration " + name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
