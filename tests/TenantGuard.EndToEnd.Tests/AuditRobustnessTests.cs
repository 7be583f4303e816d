using System.Text.Json;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// <c>tenantguard audit</c> on repositories as users have them: a project that does not restore, one that does not
/// compile, a global.json pinning an SDK that is not installed, the schema at the repository root, a project of
/// migrations only, .editorconfig severities on the .sql files. No database, and no network: each fixture's nuget.config
/// names only an empty local folder (packages the tests already restored come from the machine's package folder).
/// </summary>
public sealed class AuditRobustnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tenantguard-robust-" + Guid.NewGuid().ToString("N")[..8]);

    public AuditRobustnessTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "feed"));
        Write("nuget.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="feed" />
              </packageSources>
            </configuration>
            """);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Write(string relativePath, string content)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private void Project(string name, string packages = "", string code = "public static class Nothing { }")
    {
        Write($"{name}/{name}.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>{packages}</ItemGroup>
            </Project>
            """);
        Write($"{name}/Code.cs", code);
    }

    private const string Npgsql = """<PackageReference Include="Npgsql" Version="10.0.3" />""";

    private static string CountInvoices(string extra = "") => $$"""
        using Npgsql;

        public static class Invoices
        {
            public static async Task<object?> CountAsync(NpgsqlDataSource ds)
            {
                await using var conn = await ds.OpenConnectionAsync();
                await using var cmd = new NpgsqlCommand("SELECT count(*) FROM invoices", conn);
                {{extra}}
                return await cmd.ExecuteScalarAsync();
            }
        }
        """;

    private const string Schema = """
        CREATE TABLE invoices (id int PRIMARY KEY, tenant_id uuid NOT NULL);
        CREATE INDEX ON invoices (tenant_id);
        ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
        CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
        """;

    private static (string Rule, string Severity, string Where, bool FromProjectWithErrors)[] Findings(JsonElement report) =>
        report.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("rule").GetString()!, f.GetProperty("severity").GetString()!, f.GetProperty("where").GetString()!, f.GetProperty("fromProjectWithErrors").GetBoolean()))
            .ToArray();

    private static JsonElement ProjectNamed(JsonElement report, string name) =>
        report.GetProperty("projects").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);

    [Fact]
    public async Task A_solution_with_a_missing_package_and_a_compile_error_is_analyzed_with_the_schema_at_the_root()
    {
        Project("Api", Npgsql, CountInvoices());
        Project("Broken", Npgsql + """<PackageReference Include="TenantGuard.Fixture.DoesNotExist" Version="1.0.0" />""", CountInvoices("int broken = \"not a number\";"));
        Write("Database/schema.sql", Schema);
        Write("Database/seed/data.sql", "INSERT INTO invoices VALUES (1, gen_random_uuid());"); // no DDL: not schema
        Write("tests/Fixtures/other.sql", "CREATE TABLE scratch (id int, tenant_id uuid);");   // a test folder: not schema
        Write("App.slnx", """
            <Solution>
              <Project Path="Api/Api.csproj" />
              <Project Path="Broken/Broken.csproj" />
            </Solution>
            """);

        var (code, output, progress) = await AuditTests.AuditInAsync(_root, ".", "--format", "json");
        Assert.True(code == 0, output + progress); // warnings only, and no --strict
        var report = AuditTests.Json(output);
        var findings = Findings(report);
        Assert.Contains(("TG1001", "warning", "Api/Code.cs:10", false), findings.Select(f => (f.Rule, f.Severity, f.Where.Replace('\\', '/'), f.FromProjectWithErrors)));
        Assert.Contains(findings, f => f.Rule == "TG1001" && f.Where.Contains("Broken") && f.FromProjectWithErrors);
        Assert.Contains(findings, f => f.Rule == "TG2002" && f.Where.Replace('\\', '/') == "Database/schema.sql:3");
        Assert.DoesNotContain(findings, f => f.Where.Contains("scratch") || f.Where.Contains("tests"));

        Assert.Equal("Analyzed", ProjectNamed(report, "Api").GetProperty("status").GetString());
        var broken = ProjectNamed(report, "Broken");
        Assert.Equal("AnalyzedWithErrors", broken.GetProperty("status").GetString());
        var errors = broken.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.Contains("NU1101") && e.Contains("TenantGuard.Fixture.DoesNotExist"));
        Assert.Contains(errors, e => e.Contains("CS0029"));
        Assert.Contains("repository's schema", ProjectNamed(report, "Api").GetProperty("catalog").GetString());
        Assert.Equal(["Database/schema.sql"], report.GetProperty("schemaFiles").EnumerateArray().Select(f => f.GetString()!.Replace('\\', '/')).ToArray());

        // Progress on standard error, project by project; nothing of it in the report.
        Assert.Contains("Loading App.slnx ...", progress);
        Assert.Contains("loaded " + Path.Combine("Api", "Api.csproj") + " (net10.0)", progress);
        Assert.Contains("loaded " + Path.Combine("Broken", "Broken.csproj") + " (net10.0)", progress);
        Assert.Contains("[1/2] Api: compiling", progress);
        Assert.Contains("[2/2] Broken: running the rules", progress);
        Assert.DoesNotContain("   at ", progress);

        // --strict: the same report, and exit code 3.
        (code, output, progress) = await AuditTests.AuditInAsync(_root, ".", "--strict");
        Assert.True(code == 3, output + progress);
        Assert.Contains("| Broken (`Broken/Broken.csproj`) | analyzed, with errors |", output);
        Assert.Contains("a project with errors", output);
        Assert.Contains("- `Database/schema.sql`", output);
    }

    [Fact]
    public async Task Schema_files_can_be_pinned()
    {
        Project("Api", Npgsql, CountInvoices());
        Write("db/a.sql", Schema);
        Write("db/b.sql", Schema.Replace("invoices", "notes"));
        var (code, output, progress) = await AuditTests.AuditInAsync(_root, "Api/Api.csproj", "--schema", "db/b.sql", "--format", "json");
        Assert.True(code == 0, output + progress);
        var report = AuditTests.Json(output);
        Assert.Equal(["db/b.sql"], report.GetProperty("schemaFiles").EnumerateArray().Select(f => f.GetString()!.Replace('\\', '/')).ToArray());
        Assert.Contains(Findings(report), f => f.Rule == "TG2002" && f.Where.Replace('\\', '/') == "db/b.sql:3");

        (code, _, progress) = await AuditTests.AuditInAsync(_root, "Api/Api.csproj", "--schema", "nowhere/**/*.sql");
        Assert.Equal(2, code);
        Assert.Contains("--schema nowhere/**/*.sql: matches no file", progress);
    }

    [Fact]
    public async Task A_global_json_pinning_an_sdk_that_is_not_installed_is_one_clear_message()
    {
        Project("Api", Npgsql, CountInvoices());
        Write("global.json", """{ "sdk": { "version": "8.0.999", "rollForward": "disable" } }""");
        var (code, output, progress) = await AuditTests.AuditInAsync(_root, ".");
        Assert.True(code == 3, output + progress);
        Assert.Empty(output);
        Assert.Contains(Path.Combine(_root, "global.json") + " asks for .NET SDK 8.0.999 (rollForward: disable), which is not installed; installed SDKs: ", progress);
        Assert.Contains("then run the audit again", progress);
        Assert.DoesNotContain("   at ", progress); // no stack trace
        Assert.DoesNotContain("hostfxr", progress);
    }

    [Fact]
    public async Task A_project_of_migrations_only_gets_the_schema_rules_and_editorconfig_severities()
    {
        Project("Schema");
        Write("Schema/migrations/001_invoices.sql", """
            CREATE TABLE invoices (id int PRIMARY KEY, tenant_id uuid NOT NULL);
            CREATE INDEX ON invoices (tenant_id);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            CREATE TABLE notes (id int PRIMARY KEY, tenant_id uuid NOT NULL);
            CREATE INDEX ON notes (tenant_id);
            """);
        var (code, output, progress) = await AuditTests.AuditInAsync(_root, "Schema", "--format", "json", "--fail-on", "warning");
        Assert.True(code == 1, output + progress);
        var findings = Findings(AuditTests.Json(output));
        Assert.Contains(findings, f => f is { Rule: "TG2002", Severity: "warning" });
        Assert.Contains(findings, f => f is { Rule: "TG2001", Severity: "warning" }); // notes: a tenant column, no RLS
        Assert.Contains(findings, f => f is { Rule: "TG2006", Severity: "suggestion" });
        Assert.Contains("its migrations folder", ProjectNamed(AuditTests.Json(output), "Schema").GetProperty("catalog").GetString());

        Write(".editorconfig", """
            root = true
            [*.sql]
            dotnet_diagnostic.TG2002.severity = none
            dotnet_diagnostic.TG2006.severity = error
            """);
        Write("Schema/.editorconfig", """
            [migrations/**.sql]
            dotnet_diagnostic.TG2001.severity = suggestion
            """); // relative to its own folder, and nearer to the file than the root's
        (code, output, progress) = await AuditTests.AuditInAsync(_root, "Schema", "--format", "json");
        Assert.True(code == 1, output + progress); // an error, at the default --fail-on error
        findings = Findings(AuditTests.Json(output));
        Assert.DoesNotContain(findings, f => f.Rule == "TG2002");
        Assert.Contains(findings, f => f is { Rule: "TG2006", Severity: "error" });
        Assert.Contains(findings, f => f is { Rule: "TG2001", Severity: "suggestion" });
    }

    [Fact]
    public async Task An_unexpected_error_is_one_line_and_verbose_gives_the_trace()
    {
        Project("Schema");
        Write("Schema/migrations/001.sql", Schema);
        var report = Path.Combine(_root, "no", "such", "folder", "report.md");
        var (code, output, progress) = await AuditTests.AuditInAsync(_root, "Schema", "--output", report);
        Assert.True(code == 6, output + progress);
        Assert.Contains("tenantguard: the audit stopped on an unexpected error: ", progress);
        Assert.Contains("(DirectoryNotFoundException)", progress);
        Assert.Contains("--verbose", progress);
        Assert.DoesNotContain("   at ", progress);

        (code, output, progress) = await AuditTests.AuditInAsync(_root, "Schema", "--output", report, "--verbose");
        Assert.True(code == 6, output + progress);
        Assert.Contains("   at ", progress);
    }

    [Fact]
    public async Task Nothing_that_loads_is_exit_3_with_the_reason()
    {
        Write("Unloadable/Unloadable.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>");
        var (code, output, progress) = await AuditTests.AuditInAsync(_root, ".");
        Assert.True(code == 3, output + progress);
        Assert.Contains("no project could be loaded, so nothing was analyzed", progress);
        Assert.Contains("Unloadable.csproj", progress);
        Assert.DoesNotContain("   at ", progress);
    }
}
