using System.Diagnostics;
using AntiPatterns.Examples;
using Dapper;
using Npgsql;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// For each rule: the anti-pattern fails at run time the way the rule says (the row of docs/postgres-behaviour.md the test name ends with), TenantGuard
/// flags it, and the fixed code works and is not flagged.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class RuleTests(EndToEndDatabase db)
{
    private static string Tenant(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task AssertFlagged(string file, string rule)
    {
        Assert.Equal(new[] { rule }, await AnalyzerRun.In(file, "Bad"));
        Assert.Empty(await AnalyzerRun.In(file, "Fixed"));
    }

    private async Task<long> CountAsOwnerAsync(string tenant)
    {
        await using var owner = new NpgsqlConnection(db.Server.ConnectionString("antipatterns"));
        // The superuser bypasses RLS even when it is forced, so it counts the tenant's rows explicitly.
        await owner.OpenAsync();
        return await owner.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts WHERE tenant_id = @tenant", new { tenant });
    }

    [Fact]
    public async Task TG1001_data_source_command_sees_no_rows_row_5_and_10()
    {
        var tenant = Tenant("tg1001");
        await Database.SeedAsync(db.AntiPatterns, tenant, "Ada", "Grace");
        Assert.Equal(0, await TG1001_MissingTenantContext.Bad(db.AntiPatterns, tenant));   // no error, just no rows
        Assert.Equal(2, await TG1001_MissingTenantContext.Fixed(db.AntiPatterns, tenant));
        await AssertFlagged("TG1001_MissingTenantContext.cs", "TG1001");
    }

    [Fact]
    public async Task TG1001_connection_from_the_projects_factory_sees_no_rows_row_10()
    {
        var tenant = Tenant("tg1001f");
        await Database.SeedAsync(db.AntiPatterns, tenant, "Ada", "Grace");
        var repository = new TG1001_ConnectionFactory(db.AntiPatterns);
        Assert.Equal(0, await repository.Bad());            // the factory's connection carries no tenant: no rows
        Assert.Equal(2, await repository.Fixed(tenant));
        await AssertFlagged("TG1001_ConnectionFactory.cs", "TG1001");
    }

    [Fact]
    public async Task TG1002_placeholder_cast_breaks_in_positional_mode_rows_6_and_7()
    {
        var tenant = Tenant("tg1002");
        await using (var conn = await db.AntiPatterns.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
            Assert.Equal(1, await TG1002_PlaceholderCast.Bad(conn, tx, "a", "{\"x\": 1}"));   // row 6: works with rewriting
            Assert.Equal(1, await TG1002_PlaceholderCast.Fixed(conn, tx, "b", "{\"x\": 2}"));
            await tx.CommitAsync();
        }

        // Row 7: in positional mode (a process of its own: the switch is process-wide) ':p::jsonb' is a syntax error.
        // The sample's own build output (same configuration as this test run), with its own dependencies.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var antiPatterns = Path.Combine(AnalyzerRun.SamplesDirectory(), "bin", configuration, "net10.0", "AntiPatterns.dll");
        Assert.True(File.Exists(antiPatterns), antiPatterns);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(antiPatterns);
        info.ArgumentList.Add("positional");
        info.ArgumentList.Add(db.AntiPatternsConnectionString);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + errors);
        Assert.Contains("SELECT :p::jsonb::text => 42601 syntax error at or near \":\"", output);
        Assert.Contains("SELECT $1::jsonb::text => ok", output);
        Assert.Contains("SELECT CAST($1 AS jsonb)::text => ok", output);
        await AssertFlagged("TG1002_PlaceholderCast.cs", "TG1002");
    }

    [Fact]
    public async Task TG1003_swallowed_error_hides_a_lost_row()
    {
        var tenant = Tenant("tg1003");
        await using var conn = await db.AntiPatterns.OpenConnectionAsync();
        // A session-level setting on a connection only this test uses, to keep the example about TG1003.
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, false)", new { tenant });
        var created = await TG1003_SwallowedDatabaseError.Bad(conn, new[] { "a", null, "b" });
        Assert.Equal(2, created);                              // three rows given, one lost, nothing said
        var error = await Assert.ThrowsAsync<PostgresException>(() => TG1003_SwallowedDatabaseError.Fixed(conn, new[] { "c", null }));
        Assert.Equal(PostgresErrorCodes.NotNullViolation, error.SqlState);
        await conn.ExecuteAsync("RESET app.tenant_id");
        await AssertFlagged("TG1003_SwallowedDatabaseError.cs", "TG1003");
    }

    [Fact]
    public async Task TG1004_caught_error_aborts_the_transaction_and_commit_keeps_nothing_row_9()
    {
        var bad = await TG1004_AbortedTransactionReuse.Bad(db.AntiPatterns, Tenant("tg1004b") is var badTenant ? badTenant : "", new[] { "a", null, "b", "c" });
        Assert.Equal(1, bad.Reported);                          // 4 attempted, 1 reported as inserted
        Assert.Equal(new[] { "23502", "25P02", "25P02" }, bad.Errors);
        Assert.Equal(0, await CountAsOwnerAsync(badTenant));    // CommitAsync did not throw; 0 rows in the table

        var goodTenant = Tenant("tg1004f");
        var good = await TG1004_AbortedTransactionReuse.Fixed(db.AntiPatterns, goodTenant, new[] { "a", null, "b", "c" });
        Assert.Equal(3, good.Reported);
        Assert.Equal(new[] { "23502" }, good.Errors);
        Assert.Equal(3, await CountAsOwnerAsync(goodTenant));
        await AssertFlagged("TG1004_AbortedTransactionReuse.cs", "TG1004");
    }

    [Fact]
    public async Task TG1005_network_call_leaves_the_connection_idle_in_transaction()
    {
        using var provider = new FakeProvider(_ => "Ada");
        using var http = new HttpClient { BaseAddress = provider.BaseAddress };
        var name = "tg1005-" + Guid.NewGuid().ToString("N")[..8];
        await using var ds = NpgsqlDataSource.Create(db.AntiPatternsConnectionString + ";Application Name=" + name);

        // The provider holds its answer until the test has looked: while the code waits on the network, is its
        // connection idle in a transaction? (No clock decides it: the state is read at the moment the request is held.)
        async Task<bool> SawIdleInTransaction(Func<Task> run)
        {
            provider.Hold();
            var work = run();
            await provider.Arrived.WaitAsync(TimeSpan.FromMinutes(2));
            await using var monitor = new NpgsqlConnection(db.Server.ConnectionString("antipatterns"));
            await monitor.OpenAsync();
            var seen = await monitor.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = @name AND state = 'idle in transaction'", new { name }) > 0;
            provider.Release();
            await work;
            return seen;
        }

        Assert.True(await SawIdleInTransaction(() => TG1005_NetworkCallInTransaction.Bad(ds, http, Tenant("tg1005b"))));
        Assert.False(await SawIdleInTransaction(() => TG1005_NetworkCallInTransaction.Fixed(ds, http, Tenant("tg1005f"))));
        await AssertFlagged("TG1005_NetworkCallInTransaction.cs", "TG1005");
    }

    [Fact]
    public async Task TG1006_set_with_a_bind_parameter_is_a_syntax_error_row_1()
    {
        var tenant = Tenant("tg1006");
        await Database.SeedAsync(db.AntiPatterns, tenant, "Ada");
        var error = await Assert.ThrowsAsync<PostgresException>(() => TG1006_SetWithBindParameter.Bad(db.AntiPatterns, tenant));
        Assert.Equal(PostgresErrorCodes.SyntaxError, error.SqlState);          // 42601
        Assert.Contains("$1", error.MessageText);                              // syntax error at or near "$1"
        Assert.Equal(1, await TG1006_SetWithBindParameter.Fixed(db.AntiPatterns, tenant));
        await AssertFlagged("TG1006_SetWithBindParameter.cs", "TG1006");
    }

    [Fact]
    public async Task TG1007_local_setting_without_a_transaction_has_no_effect_row_3()
    {
        var tenant = Tenant("tg1007");
        Assert.Null(await TG1007_LocalSettingWithoutTransaction.Bad(db.AntiPatterns, tenant));
        Assert.Equal(tenant, await TG1007_LocalSettingWithoutTransaction.Fixed(db.AntiPatterns, tenant));
        await AssertFlagged("TG1007_LocalSettingWithoutTransaction.cs", "TG1007");
    }

    [Fact]
    public async Task TG1008_session_setting_leaks_without_reset_on_close_row_8()
    {
        // One physical connection, so the next user certainly gets the same server connection.
        await using var pooled = NpgsqlDataSource.Create(db.AntiPatternsConnectionString + ";Maximum Pool Size=1");
        await using var noReset = NpgsqlDataSource.Create(db.AntiPatternsConnectionString + ";Maximum Pool Size=1;No Reset On Close=true");

        await TG1008_SessionTenantSetting.Bad(pooled, "tenant-x");
        Assert.Null(await TG1008_SessionTenantSetting.NextUserSeesAsync(pooled));          // default pool resets

        await TG1008_SessionTenantSetting.Bad(noReset, "tenant-x");
        Assert.Equal("tenant-x", await TG1008_SessionTenantSetting.NextUserSeesAsync(noReset)); // another tenant's context

        await using var noReset2 = NpgsqlDataSource.Create(db.AntiPatternsConnectionString + ";Maximum Pool Size=1;No Reset On Close=true;Application Name=tg1008");
        await TG1008_SessionTenantSetting.Fixed(noReset2, "tenant-y");
        Assert.Null(await TG1008_SessionTenantSetting.NextUserSeesAsync(noReset2));
        await AssertFlagged("TG1008_SessionTenantSetting.cs", "TG1008");
    }

    [Fact]
    public async Task TG1009_spliced_tenant_id_switches_tenants()
    {
        var victim = Tenant("victim");
        await Database.SeedAsync(db.AntiPatterns, victim, "Secret");
        var crafted = $"mallory'; SET LOCAL app.tenant_id = '{victim}";
        Assert.Equal(new[] { "Secret" }, await TG1009_SplicedTenantSetting.Bad(db.AntiPatterns, crafted));
        Assert.Empty(await TG1009_SplicedTenantSetting.Fixed(db.AntiPatterns, crafted));
        await AssertFlagged("TG1009_SplicedTenantSetting.cs", "TG1009");
    }

    [Fact]
    public async Task TG1010_second_begin_on_a_connection_throws()
    {
        var tenant = Tenant("tg1010");
        await Database.SeedAsync(db.AntiPatterns, tenant, "Ada", "Grace");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TG1010_SecondTransaction.Bad(db.AntiPatterns, tenant));
        Assert.Contains("A transaction is already in progress", error.Message);
        Assert.Equal(2, await TG1010_SecondTransaction.Fixed(db.AntiPatterns, tenant));
        await AssertFlagged("TG1010_SecondTransaction.cs", "TG1010");
    }

    [Fact]
    public async Task Without_force_the_table_owner_sees_every_tenant_row_11()
    {
        await db.Server.ExecuteAsync("""
            DO $o$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ap_owner') THEN CREATE ROLE ap_owner LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
            END $o$;
            CREATE TABLE IF NOT EXISTS owned_notes (tenant_id text NOT NULL, body text NOT NULL);
            ALTER TABLE owned_notes OWNER TO ap_owner;
            ALTER TABLE owned_notes ENABLE ROW LEVEL SECURITY;
            ALTER TABLE owned_notes NO FORCE ROW LEVEL SECURITY;
            DROP POLICY IF EXISTS owned_tenant ON owned_notes;
            CREATE POLICY owned_tenant ON owned_notes USING (tenant_id = current_setting('app.tenant_id', true));
            TRUNCATE owned_notes;
            INSERT INTO owned_notes VALUES ('a', 'x'), ('b', 'y');
            """, "antipatterns");
        await using var owner = new NpgsqlConnection(db.Server.ConnectionString("antipatterns", "ap_owner"));
        await owner.OpenAsync();
        Assert.Equal(2, await owner.ExecuteScalarAsync<long>("SELECT count(*) FROM owned_notes"));   // no setting: every tenant's rows

        await db.Server.ExecuteAsync("ALTER TABLE owned_notes FORCE ROW LEVEL SECURITY", "antipatterns");
        Assert.Equal(0, await owner.ExecuteScalarAsync<long>("SELECT count(*) FROM owned_notes"));   // forced: the policy applies
    }
}
