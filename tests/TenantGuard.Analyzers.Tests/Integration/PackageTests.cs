using System;
using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Integration
{
    /// <summary>
    /// Packs TenantGuard once, from a copy of the sources in a temporary directory (so that no build of the repository
    /// running at the same time shares its obj/ folders), with NuGet caches of its own for the pack and every consumer
    /// restore (the machine's package folder is only read, as a fallback), and with a version no cache has seen.
    /// The machine's HTTP cache is shared: the feed of the pack is a folder, so no HTTP response can be stale for it,
    /// and the registry's answers the repository's own restore just fetched (version lists, audit data) are not asked
    /// for again. A pack that fails is run once more, with detailed output, before the fixture gives up.
    /// </summary>
    public sealed class PackedFeed : IAsyncLifetime
    {
        private readonly string _work = Path.Combine(Path.GetTempPath(), "tenantguard-pack-" + Guid.NewGuid().ToString("N").Substring(0, 10));

        public string Feed => Path.Combine(_work, "feed");

        public string Version { get; } = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Guid.NewGuid().ToString("N").Substring(0, 6);

        public string PackOutput { get; private set; } = "";

        /// <summary>The environment of every dotnet command of these tests: a private package folder over the machine's, read-only.</summary>
        public IReadOnlyDictionary<string, string> Environment { get; private set; } = new Dictionary<string, string>();

        /// <summary>The machine's package folder, read-only, so that the private cache does not download the world again.</summary>
        public string Fallback { get; } = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");

        public async Task InitializeAsync()
        {
            var root = RobustnessTests.RepositoryRoot();
            var sources = Path.Combine(_work, "src");
            foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "LICENSE", "CHANGELOG.md" })
            {
                Copy(Path.Combine(root, file), Path.Combine(sources, file));
            }

            foreach (var directory in new[] { "src/Analyzers", "src/CodeFixes", "src/Precompiled", "src/Package", "assets", "docs" })
            {
                CopyTree(Path.Combine(root, directory), Path.Combine(sources, directory));
            }

            Directory.CreateDirectory(Feed);
            Environment = new Dictionary<string, string>
            {
                ["NUGET_PACKAGES"] = Path.Combine(_work, "packages"),
                ["NUGET_PLUGINS_CACHE_PATH"] = Path.Combine(_work, "plugins-cache"),
                ["RestoreAdditionalProjectFallbackFolders"] = Fallback,
            };
            using var runner = new ConsumerProject("<Project />", Environment);
            var package = Path.Combine(sources, "src", "Package", "TenantGuard.Package.csproj");
            var pack = $"pack \"{package}\" -c Release -o \"{Feed}\" -p:PackageVersion={Version}";
            var (code, output) = await runner.DotnetAsync(pack);
            if (code != 0)
            {
                // Once more, with the detail to show why: the feed is a folder and the packages come from the machine's
                // folder, so nothing here waits on a clock for a second chance.
                var (retryCode, retryOutput) = await runner.DotnetAsync(pack + " -v:n");
                Assert.True(retryCode == 0, "first attempt:\n" + output + "\nsecond attempt:\n" + retryOutput);
                (code, output) = (retryCode, retryOutput);
            }

            PackOutput = output;
            Assert.True(code == 0, output);
        }

        public Task DisposeAsync()
        {
            try
            {
                Directory.Delete(_work, recursive: true);
            }
            catch (IOException)
            {
            }

            return Task.CompletedTask;
        }

        private static void Copy(string from, string to)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
        }

        private static void CopyTree(string from, string to)
        {
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                var first = relative.Split(Path.DirectorySeparatorChar)[0];
                if (first is "bin" or "obj")
                {
                    continue;
                }

                Copy(file, Path.Combine(to, relative));
            }
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

        private const string Migration = """
            CREATE TABLE contacts (id uuid, tenant_id uuid);
            CREATE INDEX ON contacts (tenant_id);
            ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
            ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
            CREATE POLICY contacts_tenant ON contacts USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
            """;

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
                    <PackageReference Include="TenantGuard" Version="{_feed.Version}" PrivateAssets="all" />
                    <PackageReference Include="Npgsql" Version="10.0.3" />
                    <PackageReference Include="Dapper" Version="2.1.86" />
                  </ItemGroup>
                </Project>
                """, _feed.Environment);
            WriteFeed(project);
            // The RLS table comes from the migrations the package passes as AdditionalFiles.
            project.Write("db/migrations/001_contacts.sql", Migration);
            project.Write("Code.cs", source);
            return project;
        }

        private void WriteFeed(ConsumerProject project) => project.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="tenantguard-test-feed" value="{_feed.Feed}" />
              </packageSources>
            </configuration>
            """);

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
            Assert.DoesNotContain(entries, e => e.StartsWith("build/", StringComparison.Ordinal)); // NuGet would ignore it
            Assert.Contains("presets/security.error.globalconfig", entries);
            Assert.Contains("presets/design.suggestion.globalconfig", entries);
            Assert.Contains("docs/rules/TG1001.md", entries);
            Assert.Contains("docs/tenantguard.editorconfig", entries);
            Assert.Contains("README.md", entries);
            Assert.Contains("CHANGELOG.md", entries);
            Assert.Contains("icon.png", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal));
            // Nothing but TenantGuard's two assemblies under analyzers/: NuGet hands every file there to the compiler.
            Assert.Equal(2, entries.Count(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var text = nuspec.ReadToEnd();
            Assert.Contains("<developmentDependency>true</developmentDependency>", text);
            Assert.Contains("<license type=\"expression\">MIT</license>", text);
            Assert.Contains("<icon>icon.png</icon>", text);
            Assert.Contains("<releaseNotes>", text);
            Assert.DoesNotContain("<dependency ", text);
            Assert.DoesNotContain("warning NU", _feed.PackOutput); // pack warnings are on, and there are none
        }

        /// <summary>The platforms the package has precompiled copies for (src/Precompiled's runtime identifiers).</summary>
        private static readonly string[] Runtimes = { "linux-x64", "linux-arm64", "win-x64", "osx-arm64", "osx-x64" };

        public static TheoryData<string> PrecompiledRuntimes => new(Runtimes);

        [Theory]
        [MemberData(nameof(PrecompiledRuntimes))]
        public void Precompiled_copies_are_ready_to_run_images_of_the_same_assemblies(string runtime)
        {
            var nupkg = Directory.GetFiles(_feed.Feed, "TenantGuard." + _feed.Version + ".nupkg").Single();
            using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
            foreach (var name in new[] { "TenantGuard.Analyzers", "TenantGuard.CodeFixes" })
            {
                var (portableName, portableNative) = Image(zip, $"analyzers/dotnet/cs/{name}.dll");
                var (precompiledName, precompiledNative) = Image(zip, $"precompiled/net10.0/{runtime}/{name}.dll");
                Assert.False(portableNative, name + ": the portable copy is IL only");
                Assert.True(precompiledNative, name + " for " + runtime + ": a ReadyToRun image");
                Assert.Equal(portableName, precompiledName); // same name, version and key: the code fixes bind to either
            }
        }

        /// <summary>An assembly of the package: its full name, and whether it carries precompiled code.</summary>
        private static (string Name, bool ReadyToRun) Image(System.IO.Compression.ZipArchive zip, string path)
        {
            using var stream = new MemoryStream();
            using (var entry = zip.GetEntry(path)!.Open())
            {
                entry.CopyTo(stream);
            }

            stream.Position = 0;
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            var name = metadata.GetAssemblyDefinition().GetAssemblyName().FullName;
            return (name, pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0);
        }

        [Fact]
        public async Task The_compiler_gets_the_precompiled_copy_for_its_platform_and_the_same_findings()
        {
            // The build logic picks precompiled/net10.0/<os>-<arch>/ when MSBuild runs on .NET 10 and the package has a
            // copy for the machine; TenantGuardPrecompiled=false keeps the portable copy.
            var architecture = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            var expected = Environment.Version.Major == 10 && Runtimes.Contains(os + "-" + architecture)
                ? $"precompiled/net10.0/{os}-{architecture}/"
                : "analyzers/dotnet/cs/";
            using var project = Consumer(Bad);
            var (code, output) = await project.DotnetAsync("build -v:d");
            Assert.True(code == 0, output);
            var (portableCode, portableOutput) = await project.DotnetAsync("build --no-incremental -v:d -p:TenantGuardPrecompiled=false");
            Assert.True(portableCode == 0, portableOutput);

            Assert.Equal(new[] { expected + "TenantGuard.Analyzers.dll", expected + "TenantGuard.CodeFixes.dll" }, AnalyzersOf(output));
            Assert.Equal(new[] { "analyzers/dotnet/cs/TenantGuard.Analyzers.dll", "analyzers/dotnet/cs/TenantGuard.CodeFixes.dll" }, AnalyzersOf(portableOutput));
            Assert.NotEmpty(Findings(output));
            Assert.Equal(Findings(portableOutput), Findings(output));
        }

        /// <summary>TenantGuard's /analyzer: arguments on the compiler's command line, from the package's folder on.</summary>
        private string[] AnalyzersOf(string output) => System.Text.RegularExpressions.Regex
            .Matches(output, @"/analyzer:(\S*?tenantguard[/\\]" + System.Text.RegularExpressions.Regex.Escape(_feed.Version) + @"[/\\](\S+?\.dll))", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            .Select(m => m.Groups[2].Value.Replace('\\', '/'))
            .Distinct()
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();

        /// <summary>The TenantGuard warnings of a build, each once: file name, position, rule and message.</summary>
        private static string[] Findings(string output) => System.Text.RegularExpressions.Regex
            .Matches(output, @"[^\s/\\]+\(\d+,\d+\): warning TG\d+: [^\[\r\n]*")
            .Select(m => m.Value.Trim())
            .Distinct()
            .OrderBy(l => l, StringComparer.Ordinal)
            .ToArray();

        [Fact]
        public async Task Warnaserror_build_fails_on_the_anti_pattern_with_id_and_help_link()
        {
            using var project = Consumer(Bad);
            var (code, output) = await project.DotnetAsync("build -warnaserror");
            Assert.NotEqual(0, code);
            Assert.Contains("error TG1006", output);
            Assert.Contains("error TG1001", output); // 'contacts' learned from db/migrations
            Assert.Contains(Descriptors.HelpLinkBase + "TG1006.md", output);
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
                && r.GetProperty("helpUri").GetString() == Descriptors.HelpLinkBase + "TG1006.md");
        }

        [Fact]
        public async Task Preset_names_ignore_case_and_a_changed_preset_rebuilds()
        {
            using var project = Consumer(Bad);
            project.Write("db/migrations/002_notes.sql", """
                CREATE TABLE notes (id uuid, tenant_id uuid);
                ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
                CREATE POLICY notes_tenant ON notes USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
                """);
            var (code, output) = await project.DotnetAsync("build -p:TenantGuardPreset=Relaxed");
            Assert.True(code == 0, output);
            Assert.Contains("warning TG1006", output);
            Assert.Contains("warning TG2002", output); // on the .sql file
            Assert.DoesNotContain("TG0001", output); // known, whatever its case

            // No --no-incremental: the preset alone changed, and the build must compile again.
            (code, output) = await project.DotnetAsync("build -p:TenantGuardPreset=STRICT");
            Assert.NotEqual(0, code);
            Assert.Contains("error TG1006", output);
            Assert.Contains("error TG1001", output);
            Assert.Contains("error TG2002", output); // the schema preset reaches diagnostics on .sql files too

            (code, output) = await project.DotnetAsync("build -p:TenantGuardPreset=stricter");
            Assert.Contains("warning TG0001", output);
        }

        [Fact]
        public async Task Editorconfig_sections_set_the_severity_of_the_schema_rules_on_sql_files()
        {
            // The compiler applies .editorconfig sections to C# files only; the schema rules read them for the .sql files.
            using var project = Consumer(Good);
            project.Write("db/migrations/002_notes.sql", """
                CREATE TABLE notes (id uuid, tenant_id uuid);
                ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
                CREATE POLICY notes_tenant ON notes USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
                """);
            project.Write(".editorconfig", """
                root = true
                [*.sql]
                dotnet_diagnostic.TG2002.severity = none
                dotnet_diagnostic.TG2006.severity = error
                """);
            var (code, output) = await project.DotnetAsync("build");
            Assert.NotEqual(0, code);
            Assert.Contains("002_notes.sql(3,1): error TG2006", output);
            Assert.DoesNotContain("TG2002", output); // enabled, never forced: off for .sql files

            // The strict preset (category lines) reaches the .sql files; the project's own rule line still wins over it.
            (code, output) = await project.DotnetAsync("build -p:TenantGuardPreset=strict");
            Assert.NotEqual(0, code);
            Assert.Contains("error TG2010", output); // a suggestion, made an error by the preset
            Assert.DoesNotContain("TG2002", output);

            // A rule line in a global config is applied by the compiler, after TenantGuard: it wins on .sql files.
            project.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.TG2006.severity = warning\n");
            (code, output) = await project.DotnetAsync("build");
            Assert.True(code == 0, output);
            Assert.Contains("002_notes.sql(3,1): warning TG2006", output);
        }

        [Fact]
        public async Task The_projects_own_rule_and_category_lines_win_over_the_preset()
        {
            using var project = Consumer(Bad, "<TenantGuardPreset>strict</TenantGuardPreset>");
            project.Write(".globalconfig", """
                is_global = true
                dotnet_analyzer_diagnostic.category-TenantGuard.Reliability.severity = none
                dotnet_diagnostic.TG1001.severity = suggestion
                """);
            var (code, output) = await project.DotnetAsync("build");
            Assert.True(code == 0, output);
            Assert.DoesNotContain("TG1006", output); // its category turned off by the project
            Assert.DoesNotContain("error TG1001", output);
            Assert.DoesNotContain("warning TG1001", output); // a suggestion: not printed by the build
        }

        [Fact]
        public async Task Off_turns_everything_off_and_a_category_property_turns_one_back_on()
        {
            using var project = Consumer(Bad, "<TenantGuardPreset>off</TenantGuardPreset>");
            var (code, output) = await project.DotnetAsync("build");
            Assert.True(code == 0, output);
            Assert.DoesNotContain("TG1", output);

            (code, output) = await project.DotnetAsync("build -p:TenantGuardSecurity=error");
            Assert.NotEqual(0, code);
            Assert.Contains("error TG1001", output);
            Assert.DoesNotContain("TG1006", output); // Reliability stays off
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

        [Fact]
        public async Task Without_private_assets_nothing_reaches_the_projects_that_reference_the_library()
        {
            // Central package management, and a PackageReference without PrivateAssets (as people write it): the library
            // is analyzed, the application that references it is not.
            using var solution = new ConsumerProject("<Project />", _feed.Environment);
            WriteFeed(solution);
            solution.Write("Directory.Packages.props", $"""
                <Project>
                  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
                  <ItemGroup>
                    <PackageVersion Include="TenantGuard" Version="{_feed.Version}" />
                    <PackageVersion Include="Npgsql" Version="10.0.3" />
                    <PackageVersion Include="Dapper" Version="2.1.86" />
                  </ItemGroup>
                </Project>
                """);
            const string Library = """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="TenantGuard" />
                    <PackageReference Include="Npgsql" />
                    <PackageReference Include="Dapper" />
                  </ItemGroup>
                </Project>
                """;
            solution.Write("Lib/Lib.csproj", Library);
            solution.Write("Lib/migrations/001.sql", Migration);
            solution.Write("Lib/Code.cs", Bad);
            solution.Write("App/App.csproj", """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
                  <ItemGroup><ProjectReference Include="../Lib/Lib.csproj" /></ItemGroup>
                </Project>
                """);
            solution.Write("App/migrations/001.sql", Migration);
            solution.Write("App/Code.cs", Bad.Replace("namespace Consumer;", "namespace App;"));
            var (code, output) = await solution.DotnetAsync("build App/App.csproj");
            Assert.True(code == 0, output);
            var lines = output.Split('\n');
            Assert.Contains(lines, l => l.Contains("warning TG1006") && l.Contains("Lib.csproj"));
            Assert.DoesNotContain(lines, l => l.Contains("TG1") && l.Contains("App.csproj"));
        }

        [Fact]
        public async Task A_global_package_reference_with_central_package_management_is_a_direct_reference()
        {
            using var project = new ConsumerProject("""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TenantGuardPreset>Strict</TenantGuardPreset>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Npgsql" />
                    <PackageReference Include="Dapper" />
                  </ItemGroup>
                </Project>
                """, _feed.Environment);
            WriteFeed(project);
            project.Write("Directory.Packages.props", $"""
                <Project>
                  <PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>
                  <ItemGroup>
                    <GlobalPackageReference Include="TenantGuard" Version="{_feed.Version}" />
                    <PackageVersion Include="Npgsql" Version="10.0.3" />
                    <PackageVersion Include="Dapper" Version="2.1.86" />
                  </ItemGroup>
                </Project>
                """);
            project.Write("db/migrations/001_contacts.sql", Migration);
            project.Write("Code.cs", Bad);
            var (code, output) = await project.DotnetAsync("build");
            Assert.NotEqual(0, code);
            Assert.Contains("error TG1006", output); // the preset applies
            Assert.Contains("error TG1001", output); // and the migrations are read
        }

        [Fact]
        public async Task Schema_at_the_repository_root_is_found_for_a_project_with_none_and_can_be_pinned()
        {
            // A repository: .git at its root, the schema in Database/, the data-access project in src/App, another
            // service's schema in services/billing/db (never mixed in), and a test project's SQL (left out).
            using var project = Consumer(Bad);
            System.IO.Directory.CreateDirectory(Path.Combine(project.Directory, ".git"));
            File.Delete(Path.Combine(project.Directory, "db/migrations/001_contacts.sql"));
            project.Write("Database/001_contacts.sql", Migration);
            project.Write("services/billing/db/001_billing.sql", "CREATE TABLE bills (id uuid, tenant_id uuid);");
            project.Write("tests/App.Tests/fixtures/contacts.sql", "ALTER TABLE contacts DISABLE ROW LEVEL SECURITY;");
            var app = project.Read("Consumer.csproj");
            project.Write("src/App/App.csproj", app);
            project.Write("src/App/Code.cs", Bad);
            File.Delete(Path.Combine(project.Directory, "Code.cs"));
            // TG0002's project-wide messages have no file: the compiler applies rule lines to them, not category lines.
            project.Write("src/App/.globalconfig", "is_global = true\ndotnet_diagnostic.TG0002.severity = warning\n");

            var (code, output) = await project.DotnetAsync("build src/App/App.csproj");
            Assert.True(code == 0, output);
            Assert.Contains("warning TG1001", output);   // 'contacts' learned from Database/001_contacts.sql
            Assert.DoesNotContain("bills", output);
            Assert.Contains("warning TG0002: TenantGuard read this project's schema from 1 file outside the project, found where repositories usually keep it", output);
            Assert.Contains("Database/001_contacts.sql", output);

            // Pinned: exactly the files named, and no message about looking.
            var (pinnedCode, pinned) = await project.DotnetAsync("build src/App/App.csproj -p:TenantGuardSchemaFiles=../../Database/*.sql -p:TenantGuardPreset=strict");
            Assert.NotEqual(0, pinnedCode);
            Assert.Contains("error TG1001", pinned);
            Assert.DoesNotContain("found where repositories usually keep it", pinned);

            // Turned off: nothing outside the project.
            var (offCode, off) = await project.DotnetAsync("build src/App/App.csproj -p:TenantGuardDiscoverSchema=false");
            Assert.True(offCode == 0, off);
            Assert.DoesNotContain("warning TG1001", off);
            Assert.Contains("warning TG0002: TenantGuard knows no tenant table", off);
        }
    }
}
