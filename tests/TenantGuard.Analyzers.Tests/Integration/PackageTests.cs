using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Integration
{
    /// <summary>Packs TenantGuard once, into a local feed, with a version no cache has seen.</summary>
    public sealed class PackedFeed : IAsyncLifetime
    {
        public string Feed { get; } = Path.Combine(Path.GetTempPath(), "tenantguard-feed-" + Guid.NewGuid().ToString("N").Substring(0, 10));

        public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Guid.NewGuid().ToString("N").Substring(0, 6);

        public string PackOutput { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Feed);
            var package = Path.Combine(RobustnessTests.RepositoryRoot(), "src", "Package", "TenantGuard.Package.csproj");
            using var runner = new ConsumerProject("<Project />");
            var (code, output) = await runner.DotnetAsync($"pack \"{package}\" -c Release -o \"{Feed}\" -p:PackageVersion={Version}");
            PackOutput = output;
            Assert.True(code == 0, output);
        }

        public Task DisposeAsync()
        {
            Directory.Delete(Feed, recursive: true);

            // Leave no test version behind in the NuGet cache.
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var restored = Path.Combine(cache, "tenantguard", Version);
            if (Directory.Exists(restored))
            {
                Directory.Delete(restored, recursive: true);
            }

            return Task.CompletedTask;
        }
    }

    public class PackageTests : IClassFixture<PackedFeed>
    {
        private const string Bad = """
            using Dapper;
            using Npgsql;

            namespace Consumer;

            public static class Bad
            {
                public static async Task Purge(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SET LOCAL app.tenant_id = @t", new { t = tenant }, tx);
                    await conn.ExecuteAsync("DELETE FROM contacts", transaction: tx);
                    await tx.CommitAsync();
                }

                public static async Task<long> Count(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts");
                }
            }
            """;

        private const string Good = """
            using Dapper;
            using Npgsql;

            namespace Consumer;

            public static class Good
            {
                public static async Task Purge(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);
                    await conn.ExecuteAsync("DELETE FROM contacts", transaction: tx);
                    await tx.CommitAsync();
                }
            }
            """;

        private readonly PackedFeed _feed;

        public PackageTests(PackedFeed feed) => _feed = feed;

        private ConsumerProject Consumer(string source, string properties = "")
        {
            var project = new ConsumerProject($"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                    {properties}
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="TenantGuard" Version="{_feed.Version}" />
                    <PackageReference Include="Npgsql" Version="10.0.3" />
                    <PackageReference Include="Dapper" Version="2.1.86" />
                  </ItemGroup>
                </Project>
                """);
            project.Write("nuget.config", $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="tenantguard-test-feed" value="{_feed.Feed}" />
                  </packageSources>
                </configuration>
                """);
            // The RLS table comes from the migrations the package passes as AdditionalFiles.
            project.Write("db/migrations/001_contacts.sql", """
                CREATE TABLE contacts (id uuid, tenant_id uuid);
                ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
                ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
                CREATE POLICY contacts_tenant ON contacts USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
                """);
            project.Write("Code.cs", source);
            return project;
        }

        [Fact]
        public void Package_layout()
        {
            var nupkg = Directory.GetFiles(_feed.Feed, "TenantGuard." + _feed.Version + ".nupkg").Single();
            using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
            var entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("analyzers/dotnet/cs/TenantGuard.Analyzers.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/TenantGuard.CodeFixes.dll", entries);
            Assert.Contains("buildTransitive/TenantGuard.props", entries);
            Assert.Contains("buildTransitive/TenantGuard.targets", entries);
            Assert.Contains("presets/strict.globalconfig", entries);
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var text = nuspec.ReadToEnd();
            Assert.Contains("<developmentDependency>true</developmentDependency>", text);
            Assert.DoesNotContain("<dependency ", text);
        }

        [Fact]
        public async Task Warnaserror_build_fails_on_the_anti_pattern_with_id_and_help_link()
        {
            using var project = Consumer(Bad);
            var (code, output) = await project.DotnetAsync("build -warnaserror");
            Assert.NotEqual(0, code);
            Assert.Contains("error TG1006", output);
            Assert.Contains("error TG1001", output); // 'contacts' learned from db/migrations
            Assert.Contains("https://github.com/tenantguard/tenantguard/blob/main/docs/rules/TG1006.md", output);
        }

        [Fact]
        public async Task Warnaserror_build_passes_on_correct_code()
        {
            using var project = Consumer(Good);
            var (code, output) = await project.DotnetAsync("build -warnaserror");
            Assert.True(code == 0, output);
            Assert.DoesNotContain("TG100", output);
        }

        [Fact]
        public async Task Error_log_writes_sarif_with_the_results()
        {
            using var project = Consumer(Bad);
            var sarif = Path.Combine(project.Directory, "tenantguard.sarif");
            var (code, output) = await project.DotnetAsync($"build -p:ErrorLog=\"{sarif}%2Cversion=2.1\"");
            Assert.True(code == 0, output); // warnings only
            using var document = JsonDocument.Parse(File.ReadAllText(sarif));
            var run = document.RootElement.GetProperty("runs")[0];
            var ids = run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("ruleId").GetString()).ToArray();
            Assert.Contains("TG1001", ids);
            Assert.Contains("TG1006", ids);
            var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
                .Where(r => r.GetProperty("id").GetString()!.StartsWith("TG", StringComparison.Ordinal)).ToArray();
            Assert.Contains(rules, r => r.GetProperty("id").GetString() == "TG1006"
                && r.GetProperty("helpUri").GetString() == "https://github.com/tenantguard/tenantguard/blob/main/docs/rules/TG1006.md");
        }

        [Fact]
        public async Task Strict_preset_makes_every_rule_an_error()
        {
            using var project = Consumer(Bad, "<TenantGuardPreset>strict</TenantGuardPreset>");
            var (code, output) = await project.DotnetAsync("build");
            Assert.NotEqual(0, code);
            Assert.Contains("error TG1006", output);
        }

        [Fact]
        public async Task Migrations_can_be_turned_off_and_presets_turned_down()
        {
            using var project = Consumer(Bad, "<TenantGuardMigrations>false</TenantGuardMigrations><TenantGuardPreset>relaxed</TenantGuardPreset>");
            var (code, output) = await project.DotnetAsync("build");
            Assert.True(code == 0, output);
            Assert.Contains("warning TG1006", output);
            Assert.DoesNotContain("TG1001", output); // no tenant table known without the migrations
        }
    }
}
