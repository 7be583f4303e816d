using Dapper;
using Npgsql;

namespace AntiPatterns.Examples;

/// <summary>TG1002: ':meta::jsonb' works with SQL rewriting, breaks without it.</summary>
public static class TG1002_PlaceholderCast
{
    public static Task<int> Bad(NpgsqlConnection conn, NpgsqlTransaction tx, string name, string json) =>
        conn.ExecuteAsync("INSERT INTO contacts (name, meta) VALUES (:name, :meta::jsonb)", new { name, meta = json }, tx);

    public static Task<int> Fixed(NpgsqlConnection conn, NpgsqlTransaction tx, string name, string json) =>
        conn.ExecuteAsync("INSERT INTO contacts (name, meta) VALUES (:name, CAST(:meta AS jsonb))", new { name, meta = json }, tx);

    /// <summary>Positional mode (Npgsql.EnableSqlRewriting off): the text goes to the server as written.</summary>
    public static async Task<string> PositionalAsync(NpgsqlConnection conn, string sql, string json)
    {
        await using var command = new NpgsqlCommand(sql, conn) { Parameters = { new() { Value = json, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
