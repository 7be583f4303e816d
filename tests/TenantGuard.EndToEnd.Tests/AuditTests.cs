using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary><c>tenantguard audit</c> as a user runs it: over the samples, and against live databases, clean and broken.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AuditTests(EndToEndDatabase db)
{
    private static string Repository => Path.GetFullPath(Path.Combine(AnalyzerRun.SamplesDirectory(), "..", ".."));

    internal static Task<(int ExitCode, string Output, string Progress)> AuditAsync(params string[] arguments) => AuditInAsync(Repository, arguments);

    /// <summary>Runs <c>tenantguard audit</c> from <paramref name="workingDirectory"/>, as a user in that folder would.</summary>
    internal static async Task<(int ExitCode, string Output, string Progress)> AuditInAsync(string workingDirectory, params string[] arguments)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var tool = Path.Combine(Repository, "src", "Cli", "bin", configuration, "net10.0", "tenantguard.dll");
        Assert.True(File.Exists(tool), tool);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(tool);
        info.ArgumentList.Add("audit");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var progress = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await progress);
    }

    internal static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement.Clone();

    private static string[] Rules(JsonElement report) =>
        report.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()!).ToArray();

    [Fact]
    public async Task The_sample_platform_and_its_live_database_are_clean()
    {
        var (code, output, progress) = await AuditAsync("samples/TenantPlatform", "--connection", db.Platform.App, "--probe", "--format", "json", "--fail-on", "suggestion");
        Assert.True(code == 0, output + progress);
        var report = Json(output);
        Assert.Empty(Rules(report));
        Assert.Equal("tenant_app", report.GetProperty("database").GetProperty("role").GetString());
        var tables = report.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(7, tables.Count);
        Assert.All(tables, t =>
        {
            Assert.True(t.GetProperty("rlsEnabled").GetBoolean() && t.GetProperty("rlsForced").GetBoolean());
            Assert.Equal("0", t.GetProperty("probeWithoutTenant").GetString());
            Assert.Equal("0", t.GetProperty("probeRandomTenant").GetString());
        });
    }

    [Fact]
    public async Task The_anti_patterns_sample_shows_each_code_rule()
    {
        var (code, output, progress) = await AuditAsync("samples/AntiPatterns", "--format", "json", "--fail-on", "warning");
        Assert.True(code == 1, output + progress); // warnings, and --fail-on warning
        var counts = Rules(Json(output)).GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, counts["TG1001"]); // two examples: a data-source command and a connection factory
        foreach (var rule in new[] { "TG1002", "TG1003", "TG1004", "TG1005", "TG1006", "TG1007", "TG1008", "TG1009", "TG1010" })
        {
            Assert.True(counts.TryGetValue(rule, out var count) && count == 1, $"{rule}: {string.Join(", ", counts)}");
        }

        Assert.DoesNotContain("AD0001", counts.Keys);
    }

    [Fact]
    public async Task A_broken_live_schema_is_found_by_the_schema_rules_the_drift_and_the_probe()
    {
        // The migrations say: invoices under forced RLS with a tenant policy; notes too. The database says otherwise.
        var folder = Path.Combine(Path.GetTempPath(), "tenantguard-audit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(folder, "migrations"));
        try
        {
            File.WriteAllText(Path.Combine(folder, "Broken.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
                  <ItemGroup><PackageReference Include="Npgsql" Version="10.0.3" /></ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(folder, "Code.cs"), "public static class Nothing { }");
            File.WriteAllText(Path.Combine(folder, "migrations", "001.sql"), """
                CREATE TABLE invoices (id int PRIMARY KEY, tenant_id uuid NOT NULL, total int);
                CREATE INDEX ON invoices (tenant_id);
                ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
                ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
                CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
                CREATE TABLE notes (id int PRIMARY KEY, tenant_id uuid NOT NULL, body text);
                CREATE INDEX ON notes (tenant_id);
                ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
                ALTER TABLE notes FORCE ROW LEVEL SECURITY;
                CREATE POLICY notes_tenant ON notes USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
                """);

            var database = "broken_" + Guid.NewGuid().ToString("N")[..8];
            await db.Server.ExecuteAsync($"CREATE DATABASE {database}");
            await db.Server.ExecuteAsync("""
                DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'audit_app') THEN CREATE ROLE audit_app LOGIN; END IF; END $$;
                """);
            await db.Server.ExecuteAsync($"""
                CREATE TABLE invoices (id int PRIMARY KEY, tenant_id uuid NOT NULL, total int);
                CREATE INDEX ON invoices (tenant_id);
                ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
                ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
                CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
                CREATE POLICY invoices_open ON invoices USING (true);
                CREATE TABLE notes (id int PRIMARY KEY, tenant_id uuid NOT NULL, body text);
                CREATE INDEX ON notes (tenant_id);
                INSERT INTO invoices VALUES (1, gen_random_uuid(), 10), (2, gen_random_uuid(), 20);
                INSERT INTO notes VALUES (1, gen_random_uuid(), 'hello');
                CREATE MATERIALIZED VIEW invoice_archive AS SELECT id, tenant_id, total FROM invoices;
                GRANT SELECT ON invoices, notes, invoice_archive TO audit_app;
                """, database);

            var connection = db.Server.ConnectionString(database, "audit_app", password: "s3cret-not-shown");
            var (code, output, progress) = await AuditAsync(folder, "--connection", connection, "--probe", "--format", "json");
            Assert.True(code == 1, output + progress);
            Assert.DoesNotContain("s3cret-not-shown", output + progress);
            var report = Json(output);
            var findings = report.GetProperty("findings").EnumerateArray()
                .Select(f => (Rule: f.GetProperty("rule").GetString()!, Where: f.GetProperty("where").GetString()!, Source: f.GetProperty("source").GetString()!)).ToList();
            Assert.Contains(findings, f => f is { Rule: "TG2003", Source: "LiveSchema" } && f.Where.EndsWith("invoices"));   // USING (true)
            Assert.Contains(findings, f => f is { Rule: "TG2001", Source: "LiveSchema" } && f.Where.EndsWith("notes"));      // tenant column, no RLS
            Assert.Contains(findings, f => f is { Rule: "TG2008", Source: "LiveSchema" } && f.Where.EndsWith("invoice_archive")); // a materialized view checks no policy
            Assert.Contains(findings, f => f is { Rule: "TGA002", Source: "Drift" } && f.Where.EndsWith("notes"));          // RLS off in the database
            Assert.Contains(findings, f => f is { Rule: "TGA001", Source: "Drift" } && f.Where.EndsWith("notes"));          // its policy missing
            Assert.Contains(findings, f => f is { Rule: "TGA010", Source: "Probe" } && f.Where.EndsWith("invoices"));       // 2 rows with no tenant
            Assert.Contains(findings, f => f is { Rule: "TGA010", Source: "Probe" } && f.Where.EndsWith("notes"));
            var invoices = report.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "invoices");
            Assert.Equal("2", invoices.GetProperty("probeWithoutTenant").GetString());

            // Rolled back and read-only: the probe changed nothing.
            await using var check = new NpgsqlConnection(db.Server.ConnectionString(database));
            await check.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM invoices", check);
            Assert.Equal(2L, await count.ExecuteScalarAsync());

            // The same report as Markdown and SARIF.
            var (_, markdown, _) = await AuditAsync(folder, "--connection", connection, "--probe");
            Assert.Contains("## Tables", markdown);
            Assert.Contains("TGA010", markdown);
            var (_, sarif, _) = await AuditAsync(folder, "--connection", connection, "--format", "sarif");
            var run = JsonDocument.Parse(sarif).RootElement.GetProperty("runs")[0];
            Assert.Equal("2.1.0", JsonDocument.Parse(sarif).RootElement.GetProperty("version").GetString());
            Assert.Contains(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "TG2003");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_message_and_its_own_exit_code()
    {
        var (code, _, progress) = await AuditAsync("no/such/path");
        Assert.Equal(2, code);
        Assert.Contains("does not exist", progress);

        (code, _, progress) = await AuditAsync("README.md");
        Assert.Equal(2, code);
        Assert.Contains("is not a solution", progress);

        var broken = Path.Combine(Path.GetTempPath(), "tenantguard-nobuild-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(broken);
        try
        {
            File.WriteAllText(Path.Combine(broken, "NoBuild.csproj"), """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>""");
            File.WriteAllText(Path.Combine(broken, "Code.cs"), "public class C { public void M() { int x = \"not an int\"; } }");
            // A project that does not compile is analyzed all the same, and listed with its errors; --strict makes it exit 3.
            (code, var report, progress) = await AuditAsync(broken, "--format", "json");
            Assert.True(code == 0, report + progress);
            Assert.Contains("CS0029", Json(report).GetProperty("projects")[0].GetProperty("errors")[0].GetString());
            (code, _, progress) = await AuditAsync(broken, "--strict");
            Assert.Equal(3, code);
            Assert.Contains("--strict: exit code 3", progress);
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }

        (code, _, progress) = await AuditAsync("samples/AntiPatterns", "--connection", "Host=127.0.0.1;Port=9;Username=nobody;Password=hunter2;Timeout=3");
        Assert.Equal(4, code);
        Assert.Contains("Could not connect to 127.0.0.1:9", progress);
        Assert.DoesNotContain("hunter2", progress);

        (code, _, progress) = await AuditAsync("samples/AntiPatterns", "--connection", db.Server.ConnectionString("postgres"));
        Assert.Equal(5, code);
        Assert.Contains("has none of the tables of the migrations", progress);
    }
}
