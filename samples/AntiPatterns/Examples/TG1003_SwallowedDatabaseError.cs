using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1003: a failed insert disappears; the import looks fine.</summary>
public static class TG1003_SwallowedDatabaseError
{
    public static async Task<int> Bad(NpgsqlConnection conn, string?[] names)
    {
        var created = 0;
        foreach (var name in names)
        {
            try
            {
                created += await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name });
            }
            catch (Exception)
            {
            }
        }

        return created;
    }

    public static async Task<int> Fixed(NpgsqlConnection conn, string?[] names)
    {
        var created = 0;
        foreach (var name in names)
        {
            try
            {
                created += await conn.ExecuteAsync("INSERT INTO contacts (name) VALUES (@name)", new { name });
            }
            catch (Exception)
            {
                throw;
            }
        }

        return created;
    }
}
