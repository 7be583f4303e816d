using AntiPatterns.Examples;
using Npgsql;
using TenantGuard.Testing.Postgres;

// Usage:
//   dotnet run --project samples/AntiPatterns                      runs every example against an embedded PostgreSQL
//   dotnet run --project samples/AntiPatterns -- positional <owner connection string>
//       (used by the end-to-end tests) runs TG1002 with Npgsql's SQL rewriting turned off.
if (args.Length >= 2 && args[0] == "positional")
{
    AppContext.SetSwitch("Npgsql.EnableSqlRewriting", false);
    await using var conn = new NpgsqlConnection(args[1]);
    await conn.OpenAsync();
    foreach (var sql in new[] { "SELECT :p::jsonb::text", "SELECT $1::jsonb::text", "SELECT CAST($1 AS jsonb)::text" })
    {
        try
        {
            Console.WriteLine($"{sql} => ok {await TG1002_PlaceholderCast.PositionalAsync(conn, sql, "{\"a\": 1}")}");
        }
        catch (PostgresException ex)
        {
            Console.WriteLine($"{sql} => {ex.SqlState} {ex.MessageText}");
        }
    }

    return 0;
}

await using var server = await PostgresServer.StartAsync();
await server.ExecuteAsync("CREATE DATABASE antipatterns");
await Database.MigrateAsync(server.ConnectionString("antipatterns"));
await using var ds = NpgsqlDataSource.Create(server.ConnectionString("antipatterns", "ap_app"));
await Database.SeedAsync(ds, "acme", "Ada", "Grace");

Console.WriteLine($"TG1001 bad: {await TG1001_MissingTenantContext.Bad(ds, "acme")} rows; fixed: {await TG1001_MissingTenantContext.Fixed(ds, "acme")} rows");
try
{
    await TG1006_SetWithBindParameter.Bad(ds, "acme");
}
catch (PostgresException ex)
{
    Console.WriteLine($"TG1006 bad: {ex.SqlState} {ex.MessageText}; fixed: {await TG1006_SetWithBindParameter.Fixed(ds, "acme")} rows");
}

Console.WriteLine($"TG1007 bad sees '{await TG1007_LocalSettingWithoutTransaction.Bad(ds, "acme")}'; fixed sees '{await TG1007_LocalSettingWithoutTransaction.Fixed(ds, "acme")}'");
var bad = await TG1004_AbortedTransactionReuse.Bad(ds, "imports", new[] { "a", null, "b", "c" });
var good = await TG1004_AbortedTransactionReuse.Fixed(ds, "imports2", new[] { "a", null, "b", "c" });
Console.WriteLine($"TG1004 bad: reported {bad.Reported}, errors {string.Join(",", bad.Errors)}; fixed: reported {good.Reported}, errors {string.Join(",", good.Errors)}");
try
{
    await TG1010_SecondTransaction.Bad(ds, "acme");
}
catch (InvalidOperationException ex)
{
    Console.WriteLine($"TG1010 bad: {ex.Message}; fixed: {await TG1010_SecondTransaction.Fixed(ds, "acme")} rows");
}

Console.WriteLine($"TG1009 bad as \"mallory\": {string.Join(",", await TG1009_SplicedTenantSetting.Bad(ds, "mallory'; SET LOCAL app.tenant_id = 'acme"))}");
return 0;
