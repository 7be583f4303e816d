using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Dapper;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Npgsql;
using TenantGuard.Analyzers.Rules;
using TenantGuard.CodeFixes.Fixes;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// A policy that reads two settings (the tenant and a role), on a live server: with one of them set the query sees
/// 0 rows and no error; with both it sees the tenant's rows. TenantGuard learns the policy from the migration, flags
/// the code that sets one, names the missing one, and its fix (applied here through Roslyn, compiled and run) sets
/// both and sees the rows.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class PolicyCatalogTests(EndToEndDatabase db)
{
    private const string Migration = """
        CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id text NOT NULL, total numeric NOT NULL);
        ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
        ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
        CREATE POLICY invoices_owner_admin ON invoices
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '') AND current_setting('app.role', true) = 'owner_admin');
        DO $roles$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'catalog_app') THEN
                CREATE ROLE catalog_app LOGIN NOSUPERUSER NOBYPASSRLS;
            END IF;
        END
        $roles$;
        GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO catalog_app;
        """;

    /// <summary>The service as its developers wrote it: the tenant is set, the role is not.</summary>
    private const string Service = """
        using System;
        using System.Linq;
        using Dapper;
        using Npgsql;

        public static class InvoiceService
        {
            public static int CountInvoices(NpgsqlDataSource dataSource, string tenantId)
            {
                using var conn = dataSource.OpenConnection();
                using var tx = conn.BeginTransaction();
                conn.Execute("SELECT set_config('app.tenant_id', @tenantId, true)", new { tenantId }, tx);
                var count = conn.Query<int>("SELECT id FROM invoices", transaction: tx).Count();
                tx.Commit();
                return count;
            }
        }
        """;

    private static readonly SemaphoreSlim SetupLock = new(1, 1);
    private static NpgsqlDataSource? _app;

    /// <summary>The database, created once for the run, as the application role (no BYPASSRLS).</summary>
    private async Task<NpgsqlDataSource> AppAsync()
    {
        await SetupLock.WaitAsync();
        try
        {
            if (_app is null)
            {
                await db.Server.ExecuteAsync("CREATE DATABASE policy_catalog");
                await db.Server.ExecuteAsync(Migration, "policy_catalog");
                await db.Server.ExecuteAsync("INSERT INTO invoices (tenant_id, total) VALUES ('acme', 10), ('acme', 20), ('globex', 30)", "policy_catalog");
                _app = NpgsqlDataSource.Create(db.Server.ConnectionString("policy_catalog", "catalog_app", pooling: false));
            }

            return _app;
        }
        finally
        {
            SetupLock.Release();
        }
    }

    [Fact]
    public async Task One_of_two_settings_sees_nothing_both_see_the_rows()
    {
        await using var conn = await (await AppAsync()).OpenConnectionAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', 'acme', true)", transaction: tx);
            Assert.Equal(0, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices", transaction: tx));
        }

        await using (var tx = await conn.BeginTransactionAsync())
        {
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', 'acme', true), set_config('app.role', 'owner_admin', true)", transaction: tx);
            Assert.Equal(2, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices", transaction: tx));
        }
    }

    [Fact]
    public async Task Flagged_fixed_and_the_fixed_code_sees_the_rows()
    {
        var (document, diagnostics) = await AnalyzeAsync(Service);
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("TG1001", diagnostic.Id);
        Assert.Contains("'app.role' (policy 'invoices_owner_admin' on invoices reads 'app.tenant_id' and 'app.role')", diagnostic.GetMessage());
        Assert.EndsWith("it sets 'app.tenant_id' but not 'app.role'", diagnostic.GetMessage());

        // As written: 0 rows, no error.
        var app = await AppAsync();
        Assert.Equal(0, Run(app, Service, "acme"));

        var fixedSource = await FixAsync(document, diagnostic);
        Assert.Contains("set_config('app.role', 'owner_admin', true)", fixedSource);
        Assert.Empty((await AnalyzeAsync(fixedSource)).Diagnostics);

        // Fixed: the tenant's rows, and only them.
        Assert.Equal(2, Run(app, fixedSource, "acme"));
        Assert.Equal(1, Run(app, fixedSource, "globex"));
    }

    private static readonly ImmutableArray<MetadataReference> References = Net100.References.All.Cast<MetadataReference>()
        .Concat(new[] { typeof(NpgsqlConnection), typeof(SqlMapper) }.Select(t => MetadataReference.CreateFromFile(t.Assembly.Location)))
        .ToImmutableArray();

    private static async Task<(Document Document, ImmutableArray<Diagnostic> Diagnostics)> AnalyzeAsync(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Service", "Service", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12),
            metadataReferences: References));
        var document = workspace.AddDocument(project.Id, "InvoiceService.cs", SourceText.From(source));
        var compilation = (await document.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new AdditionalFileText("/migrations/001_invoices.sql", Migration)));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new MissingTenantContextAnalyzer()), options).GetAnalyzerDiagnosticsAsync();
        return (document, diagnostics);
    }

    private static async Task<string> FixAsync(Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await new ApplyTenantSettingCodeFix().RegisterCodeFixesAsync(context);
        var operations = await Assert.Single(actions).GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id)!;
        return (await changed.GetTextAsync()).ToString();
    }

    /// <summary>Compiles the service and runs CountInvoices as the application role.</summary>
    private static int Run(NpgsqlDataSource app, string source, string tenant)
    {
        var compilation = CSharpCompilation.Create(
            "Service" + Guid.NewGuid().ToString("N"),
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12)) },
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var assembly = Assembly.Load(image.ToArray());
        var method = assembly.GetType("InvoiceService")!.GetMethod("CountInvoices")!;
        return (int)method.Invoke(null, new object[] { app, tenant })!;
    }
}
