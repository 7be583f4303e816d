using Dapper;
using AntiPatterns.Examples;
using Npgsql;
using TenantGuard.Testing.Postgres;

// Usage:
//   dotnet run --project samples/AntiPatterns                      runs every example, bad and fixed, on an embedded PostgreSQL
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
var owner = server.ConnectionString("antipatterns");
await Database.MigrateAsync(owner);
var app = server.ConnectionString("antipatterns", "ap_app");
await using var ds = NpgsqlDataSource.Create(app);
await Database.SeedAsync(ds, "acme", "Ada", "Grace");
Console.WriteLine("Each rule's bad form, then its fixed form, on PostgreSQL (tenant 'acme' has 2 contacts):");

void Show(string rule, string bad, string fixedForm) => Console.WriteLine($"{rule}\n  bad:   {bad}\n  fixed: {fixedForm}");

async Task<string> Outcome(Func<Task<string>> run)
{
    try
    {
        return await run();
    }
    catch (PostgresException ex)
    {
        return $"fails with {ex.SqlState}: {ex.MessageText}";
    }
    catch (InvalidOperationException ex)
    {
        return $"throws: {ex.Message}";
    }
}

Show("TG1001 missing tenant setting",
    await Outcome(async () => $"{await TG1001_MissingTenantContext.Bad(ds, "acme")} rows, no error"),
    await Outcome(async () => $"{await TG1001_MissingTenantContext.Fixed(ds, "acme")} rows"));
var factory = new TG1001_ConnectionFactory(ds);
Show("TG1001 through the project's connection factory",
    await Outcome(async () => $"{await factory.Bad()} rows, no error"),
    await Outcome(async () => $"{await factory.Fixed("acme")} rows"));

// TG1002: with Npgsql's SQL rewriting (the default) both forms work; without it (positional $1 mode, a process-wide
// switch) ':meta::jsonb' is a syntax error. This program runs itself in that mode to show it.
await using (var conn = await ds.OpenConnectionAsync())
{
    await using var tx = await conn.BeginTransactionAsync();
    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', 'acme', true)", transaction: tx);
    Show("TG1002 ':name::type' placeholder cast, with SQL rewriting",
        await Outcome(async () => $"{await TG1002_PlaceholderCast.Bad(conn, tx, "Cast", "{\"a\": 1}")} row inserted"),
        await Outcome(async () => $"{await TG1002_PlaceholderCast.Fixed(conn, tx, "Cast2", "{\"a\": 1}")} row inserted"));
    await tx.RollbackAsync();
}

var positional = Positional(owner);
Show("TG1002 the same casts in positional mode (SQL rewriting off)", positional[0], positional[1] + "; " + positional[2]);

await using (var conn = await ds.OpenConnectionAsync())
{
    // A session setting on a connection only this example uses, to keep it about TG1003 (reset below).
#pragma warning disable TG1008
    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', 'imports3', false)");
#pragma warning restore TG1008
    Show("TG1003 swallowed database error (3 names, one null)",
        await Outcome(async () => $"reports {await TG1003_SwallowedDatabaseError.Bad(conn, new[] { "a", null, "b" })} created, says nothing of the lost row"),
        await Outcome(async () => $"reports {await TG1003_SwallowedDatabaseError.Fixed(conn, new[] { "c", null })} created"));
    await conn.ExecuteAsync("RESET app.tenant_id");
}

var bad = await TG1004_AbortedTransactionReuse.Bad(ds, "imports", new[] { "a", null, "b", "c" });
var good = await TG1004_AbortedTransactionReuse.Fixed(ds, "imports2", new[] { "a", null, "b", "c" });
Show("TG1004 transaction used after a caught error (4 names, one null)",
    $"reports {bad.Reported} inserted, errors {string.Join(",", bad.Errors)}, {await CountAsync(owner, "imports")} rows committed",
    $"reports {good.Reported} inserted, errors {string.Join(",", good.Errors)}, {await CountAsync(owner, "imports2")} rows committed");

using (var provider = new SlowProvider(TimeSpan.FromSeconds(2)))
using (var http = new HttpClient { BaseAddress = provider.BaseAddress })
{
    Show("TG1005 network call while the transaction is open (a 2 s provider call)",
        $"the connection sat idle in transaction for {await IdleInTransaction(server, app, "tg1005-bad", d => TG1005_NetworkCallInTransaction.Bad(d, http, "provider-import")):F1} s",
        $"idle in transaction for {await IdleInTransaction(server, app, "tg1005-fixed", d => TG1005_NetworkCallInTransaction.Fixed(d, http, "provider-import")):F1} s");
}

Show("TG1006 SET with a bind parameter",
    await Outcome(async () => $"{await TG1006_SetWithBindParameter.Bad(ds, "acme")} rows"),
    await Outcome(async () => $"{await TG1006_SetWithBindParameter.Fixed(ds, "acme")} rows"));
Show("TG1007 transaction-local setting outside a transaction",
    $"the next command sees '{await TG1007_LocalSettingWithoutTransaction.Bad(ds, "acme")}'",
    $"the next command sees '{await TG1007_LocalSettingWithoutTransaction.Fixed(ds, "acme")}'");

// TG1008: one pooled server connection that is not reset on close, as behind a transaction-mode pooler.
await using (var pooled = NpgsqlDataSource.Create(app + ";Maximum Pool Size=1;No Reset On Close=true"))
{
    await TG1008_SessionTenantSetting.Bad(pooled, "acme");
    var leaked = await TG1008_SessionTenantSetting.NextUserSeesAsync(pooled);
    await using var clean = NpgsqlDataSource.Create(app + ";Maximum Pool Size=1;No Reset On Close=true;Application Name=tg1008");
    await TG1008_SessionTenantSetting.Fixed(clean, "acme");
    Show("TG1008 tenant setting for the whole session (pool without reset)",
        $"the next user of the connection runs as tenant '{leaked}'",
        $"the next user of the connection runs with {(await TG1008_SessionTenantSetting.NextUserSeesAsync(clean) is { } next ? "tenant '" + next + "'" : "no tenant")}");
}

const string Crafted = "mallory'; SET LOCAL app.tenant_id = 'acme";
Show($"TG1009 tenant id spliced into SET (tenant \"{Crafted}\")",
    $"sees [{string.Join(", ", await TG1009_SplicedTenantSetting.Bad(ds, Crafted))}]: acme's rows",
    $"sees [{string.Join(", ", await TG1009_SplicedTenantSetting.Fixed(ds, Crafted))}]: no tenant has that id");
Show("TG1010 second transaction on one connection",
    await Outcome(async () => $"{await TG1010_SecondTransaction.Bad(ds, "acme")} rows"),
    await Outcome(async () => $"{await TG1010_SecondTransaction.Fixed(ds, "acme")} rows"));
Console.WriteLine("""
    Not run here: TG1011 (EF Core interceptors; shown on the live server by the end-to-end EfCoreTests), TG1012 (TG1009's
    suggestion for typed values, whose splice cannot inject), and the schema rules TG2001-TG2010, whose bad and fixed
    migrations are under schema/ (run on the live server by the end-to-end SchemaRuleTests; see schema/README.md).
    """);
return 0;

static async Task<long> CountAsync(string owner, string tenant)
{
    // The superuser counts what was really committed, for any tenant.
    await using var conn = new NpgsqlConnection(owner);
#pragma warning disable TG1001
    return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts WHERE tenant_id = @tenant", new { tenant });
#pragma warning restore TG1001
}

// The longest time a connection of this example sat 'idle in transaction' while the work ran.
static async Task<double> IdleInTransaction(PostgresServer server, string app, string name, Func<NpgsqlDataSource, Task> work)
{
    await using var ds = NpgsqlDataSource.Create(app + ";Application Name=" + name);
    await using var monitor = new NpgsqlConnection(server.ConnectionString("antipatterns"));
    await monitor.OpenAsync();
    var running = work(ds);
    var longest = 0.0;
    while (!running.IsCompleted)
    {
        longest = Math.Max(longest, await monitor.ExecuteScalarAsync<double?>(
            "SELECT max(extract(epoch FROM clock_timestamp() - state_change))::float8 FROM pg_stat_activity WHERE application_name = @name AND state = 'idle in transaction'", new { name }) ?? 0);
        await Task.Delay(100);
    }

    await running;
    return longest;
}

// Runs this program again in positional mode (the switch is process-wide) and returns its three lines.
static string[] Positional(string owner)
{
    var self = typeof(Database).Assembly.Location;
    var info = new System.Diagnostics.ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        info.ArgumentList.Add(self);
    }

    info.ArgumentList.Add("positional");
    info.ArgumentList.Add(owner);
    using var process = System.Diagnostics.Process.Start(info)!;
    var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    process.WaitForExit();
    return lines.Length >= 3 ? lines : [.. lines, "", "", ""];
}
