using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Integration
{
    /// <summary><c>dotnet format analyzers</c> on a project that consumes the analyzers applies TenantGuard's fixes.</summary>
    public class DotnetFormatTests
    {
        [Fact]
        public async Task Dotnet_format_analyzers_applies_the_fixes()
        {
            var analyzers = Path.Combine(AppContext.BaseDirectory, "TenantGuard.Analyzers.dll");
            var fixes = Path.Combine(AppContext.BaseDirectory, "TenantGuard.CodeFixes.dll");
            using var project = new ConsumerProject($"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Npgsql" Version="10.0.3" />
                    <PackageReference Include="Dapper" Version="2.1.86" />
                    <Analyzer Include="{analyzers}" />
                    <Analyzer Include="{fixes}" />
                  </ItemGroup>
                </Project>
                """);
            project.Write("Import.cs", """
                using System.Data;
                using Dapper;

                namespace Consumer;

                public static class Import
                {
                    public static Task Remember(IDbConnection conn, IDbTransaction tx, string tenant, string json) =>
                        conn.ExecuteAsync("SET LOCAL app.tenant_id = @t; INSERT INTO ai_memories (value) VALUES (:value::jsonb)", new { t = tenant, value = json }, tx);

                    public static void Swallow(IDbConnection conn)
                    {
                        try
                        {
                            conn.Execute("DELETE FROM scratch");
                        }
                        catch (Exception)
                        {
                            Console.WriteLine("failed");
                        }
                    }
                }
                """);

            var (restoreCode, restoreOutput) = await project.DotnetAsync("restore");
            Assert.True(restoreCode == 0, restoreOutput);

            var (code, output) = await project.DotnetAsync("format analyzers Consumer.csproj --no-restore --severity warn --diagnostics TG1002 TG1003 TG1006 --verbosity diagnostic");
            Assert.True(code == 0, output);

            var fixedSource = project.Read("Import.cs");
            Assert.Contains("SELECT set_config('app.tenant_id', @t, true); INSERT INTO ai_memories (value) VALUES (CAST(:value AS jsonb))", fixedSource);
            Assert.Contains("Console.WriteLine(\"failed\");\n            throw;", fixedSource.Replace("\r\n", "\n"));

            // The fixed project builds with the analyzers and no TenantGuard warning left.
            var (buildCode, buildOutput) = await project.DotnetAsync("build --no-restore -warnaserror");
            Assert.True(buildCode == 0, buildOutput);
            Assert.DoesNotContain("TG100", buildOutput);
        }
    }
}
