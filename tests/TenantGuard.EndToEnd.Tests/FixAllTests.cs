using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TenantGuard.Analyzers.Registry;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// Fix All as users run it: <c>dotnet format analyzers</c> over a corpus of realistic service files with several rules
/// each, with every TenantGuard id at once and one id at a time in two orders. Every result must compile, add no
/// TenantGuard diagnostic, be the same in every order, and run correctly on the live server.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class FixAllTests(EndToEndDatabase db)
{
    private static readonly string[] Fixable = { "TG1001", "TG1002", "TG1003", "TG1004", "TG1006", "TG1007", "TG1008", "TG1009", "TG1012" };

    private static readonly Lazy<Task<FixAllRun>> Run = new(FixAllRun.RunAsync);

    [Fact]
    public async Task Every_order_gives_the_same_code_and_it_compiles_with_no_new_finding()
    {
        var run = await Run.Value;
        foreach (var (order, files) in run.Outputs)
        {
            foreach (var (name, text) in files)
            {
                Assert.True(text == run.Outputs[0].Files[name], $"{order} differs from {run.Outputs[0].Order} in {name}:\n{text}\n---\n{run.Outputs[0].Files[name]}");
            }
        }

        var before = await Diagnose(run.Inputs);
        var after = await Diagnose(run.Outputs[0].Files);
        Assert.True(after.Errors.Count == 0, string.Join("\n", after.Errors));
        Assert.True(before.Findings.Count >= Fixable.Length, string.Join("\n", before.Findings));
        Assert.All(after.Findings, finding => Assert.Contains(finding, before.Findings));
        Assert.True(after.Findings.Count == 0, "left after the fixes:\n" + string.Join("\n", after.Findings));
    }

    [Fact]
    public async Task The_fixed_code_sees_the_tenants_rows_on_the_live_server()
    {
        var run = await Run.Value;
        var tenant = "fixall-" + Guid.NewGuid().ToString("N")[..8];
        var guidTenant = Guid.NewGuid();
        await AntiPatterns.Examples.Database.SeedAsync(db.AntiPatterns, tenant, "Ada", "Grace");
        await AntiPatterns.Examples.Database.SeedAsync(db.AntiPatterns, guidTenant.ToString(), "Solo");

        // As written, the queries see nothing and the SET with a parameter fails.
        var original = Load(run.Inputs);
        Assert.Equal(0, await Call<int>(original, "ContactQueries", "CountAsync", db.AntiPatterns, tenant));
        await Assert.ThrowsAsync<PostgresException>(() => Call<int>(original, "ContactQueries", "RenameAsync", db.AntiPatterns, tenant, "Grace", "Gina"));

        var fixedCode = Load(run.Outputs[0].Files);
        Assert.Equal(2, await Call<int>(fixedCode, "ContactQueries", "CountAsync", db.AntiPatterns, tenant));
        Assert.Equal(new List<string> { "Ada", "Grace" }, await Call<List<string>>(fixedCode, "ContactQueries", "NamesAsync", db.AntiPatterns, tenant));
        Assert.Equal(2, await Call<int>(fixedCode, "ContactQueries", "CountWithSessionSettingAsync", db.AntiPatterns, tenant));
        Assert.Equal(2, await Call<int>(fixedCode, "ContactQueries", "CountSplicedAsync", db.AntiPatterns, tenant));
        Assert.Equal(1, await Call<int>(fixedCode, "ContactQueries", "RenameAsync", db.AntiPatterns, tenant, "Grace", "Gina"));
        Assert.Equal(1, await Call<int>(fixedCode, "ContactQueries", "AddWithMetaAsync", db.AntiPatterns, tenant, "Meta", "{\"a\": 1}"));

        var import = Activator.CreateInstance(fixedCode.GetType("Corpus.ContactImport")!, db.AntiPatterns, CreateLogger(fixedCode.GetType("Corpus.ContactImport")!))!;
        Assert.Equal(2, await Invoke<int>(import, "ImportAsync", tenant, new List<string?> { "Lin", null, "Ken" })); // the bad row is skipped, the rest kept
        Assert.Equal(5L, await Invoke<long>(import, "CountAsync", tenant));
        Assert.True(await Invoke<bool>(import, "TryDeleteAsync", tenant, "Lin"));
        Assert.Equal(4, await Call<int>(fixedCode, "ContactQueries", "CountAsync", db.AntiPatterns, tenant));

        Assert.Equal(1, await Call<int>(fixedCode, "ContactCounts", "CountForAsync", db.AntiPatterns, guidTenant));
    }

    private static object CreateLogger(Type category) =>
        Activator.CreateInstance(typeof(NullLogger<>).MakeGenericType(category))!;

    private static async Task<T> Call<T>(Assembly assembly, string type, string method, params object[] arguments) =>
        await (Task<T>)assembly.GetType("Corpus." + type)!.GetMethod(method)!.Invoke(null, arguments)!;

    private static async Task<T> Invoke<T>(object instance, string method, params object[] arguments) =>
        await (Task<T>)instance.GetType().GetMethod(method)!.Invoke(instance, arguments)!;

    private static readonly ImmutableArray<MetadataReference> References = Net100.References.All.Cast<MetadataReference>()
        .Concat(new[] { typeof(NpgsqlConnection), typeof(Dapper.SqlMapper), typeof(ILogger) }.Select(t => MetadataReference.CreateFromFile(t.Assembly.Location)))
        .ToImmutableArray();

    private static CSharpCompilation Compile(IReadOnlyDictionary<string, string> files) =>
        CSharpCompilation.Create(
            "Corpus" + Guid.NewGuid().ToString("N"),
            files.Select(f => CSharpSyntaxTree.ParseText(f.Value, new CSharpParseOptions(LanguageVersion.CSharp12), f.Key))
                .Append(CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq; global using System.Threading.Tasks;", new CSharpParseOptions(LanguageVersion.CSharp12), "usings.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static async Task<(List<string> Errors, List<string> Findings)> Diagnose(IReadOnlyDictionary<string, string> files)
    {
        var compilation = Compile(files);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        var analyzers = TenantGuardRules.CreateAnalyzers();
        var migration = new AdditionalFileText(Path.Combine(AnalyzerRun.SamplesDirectory(), "migrations", "001_schema.sql"));
        var diagnostics = await compilation.WithAnalyzers(analyzers, new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(migration))).GetAnalyzerDiagnosticsAsync();
        var findings = diagnostics
            .Where(d => TenantGuardRules.IsCode(d.Descriptor))
            .Select(d => $"{d.Id} in {Path.GetFileName(d.Location.SourceTree?.FilePath)} {Member(d)}")
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        return (errors, findings);
    }

    private static string Member(Diagnostic diagnostic)
    {
        var node = diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan);
        return node.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().FirstOrDefault()?.Identifier.ValueText ?? "?";
    }

    private static Assembly Load(IReadOnlyDictionary<string, string> files)
    {
        using var image = new MemoryStream();
        var emitted = Compile(files).Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image.ToArray()));
    }

    /// <summary>The corpus run through dotnet format in each order, once per test run.</summary>
    private sealed class FixAllRun
    {
        public required Dictionary<string, string> Inputs { get; init; }

        public required List<(string Order, Dictionary<string, string> Files)> Outputs { get; init; }

        public static async Task<FixAllRun> RunAsync()
        {
            var corpus = Path.Combine(AppContext.BaseDirectory, "FixAllCorpus");
            var inputs = Directory.GetFiles(corpus, "*.cs").ToDictionary(path => Path.GetFileName(path), File.ReadAllText);
            var template = CreateProject(inputs);
            var (restore, restoreOutput) = await DotnetAsync(template, "restore");
            Assert.True(restore == 0, restoreOutput);

            var orders = new List<(string Name, string[][] Steps)>
            {
                ("all at once", new[] { Fixable }),
                ("one id at a time, ascending", Fixable.Select(id => new[] { id }).ToArray()),
                ("one id at a time, descending", Fixable.Reverse().Select(id => new[] { id }).ToArray()),
            };
            var outputs = await Task.WhenAll(orders.Select(async order =>
            {
                var directory = Copy(template);
                foreach (var ids in order.Steps)
                {
                    var (code, output) = await DotnetAsync(directory, $"format analyzers Corpus.csproj --no-restore --severity info --diagnostics {string.Join(' ', ids)}");
                    Assert.True(code == 0, $"{order.Name}, {string.Join(' ', ids)}:\n{output}");
                }

                var files = inputs.Keys.ToDictionary(name => name, name => File.ReadAllText(Path.Combine(directory, name)));
                Directory.Delete(directory, recursive: true);
                return (order.Name, files);
            }));
            Directory.Delete(template, recursive: true);
            return new FixAllRun { Inputs = inputs, Outputs = outputs.ToList() };
        }

        private static string CreateProject(Dictionary<string, string> files)
        {
            var directory = Path.Combine(Path.GetTempPath(), "tenantguard-fixall-" + Guid.NewGuid().ToString("N")[..10]);
            Directory.CreateDirectory(directory);
            var analyzers = Path.Combine(AppContext.BaseDirectory, "TenantGuard.Analyzers.dll");
            var fixes = Path.Combine(AppContext.BaseDirectory, "TenantGuard.CodeFixes.dll");
            var migration = Path.Combine(AnalyzerRun.SamplesDirectory(), "migrations", "001_schema.sql");
            File.WriteAllText(Path.Combine(directory, "Corpus.csproj"), $"""
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
                    <PackageReference Include="Microsoft.Extensions.Logging.Abstractions" Version="10.0.15" />
                    <Analyzer Include="{analyzers}" />
                    <Analyzer Include="{fixes}" />
                    <AdditionalFiles Include="{migration}" />
                  </ItemGroup>
                </Project>
                """);
            foreach (var (name, text) in files)
            {
                File.WriteAllText(Path.Combine(directory, name), text);
            }

            return directory;
        }

        private static string Copy(string template)
        {
            var directory = template + "-" + Guid.NewGuid().ToString("N")[..6];
            foreach (var file in Directory.GetFiles(template, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(directory, Path.GetRelativePath(template, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                var text = File.ReadAllText(file);
                File.WriteAllText(target, text.Replace(template, directory)); // restore output names its directory
            }

            return directory;
        }

        private static async Task<(int ExitCode, string Output)> DotnetAsync(string directory, string arguments)
        {
            var info = new ProcessStartInfo("dotnet", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
