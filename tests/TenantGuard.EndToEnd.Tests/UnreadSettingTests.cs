using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TenantGuard.Analyzers;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// TG1013 on the live server (behaviour row 31): policies read <c>app.current_tenant_id</c> through the function
/// <c>app.current_tenant_id()</c>; an EF Core interceptor that sets <c>app.current_tenant</c> gives the application 0
/// rows and a refused insert, and TG1013 reports both of its settings; with the name the policies read, the tenant's rows.
/// The code is compiled from one source, so what runs is what was analyzed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public class UnreadSettingTests(EndToEndDatabase db)
{
    private const string Acme = "00000000-0000-0000-0000-00000000a01e";
    private const string Globex = "00000000-0000-0000-0000-0000000610be";
    private const string AppRole = "unread_setting_app";

    private const string Schema = """
        CREATE SCHEMA app;
        CREATE FUNCTION app.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE
            AS $f$ SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid $f$;
        CREATE TABLE app.documents (id serial PRIMARY KEY, tenant_id uuid NOT NULL, title text NOT NULL);
        ALTER TABLE app.documents ENABLE ROW LEVEL SECURITY;
        ALTER TABLE app.documents FORCE ROW LEVEL SECURITY;
        CREATE POLICY documents_tenant ON app.documents USING (tenant_id = app.current_tenant_id());
        """;

    private const string Source = """
        using System.Data.Common;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.EntityFrameworkCore.Diagnostics;

        namespace UnreadProbe;

        public sealed class Document
        {
            public int Id { get; set; }
            public Guid TenantId { get; set; }
            public string Title { get; set; } = "";
        }

        public sealed class DocumentsDb(DbContextOptions<DocumentsDb> options) : DbContext(options)
        {
            public DbSet<Document> Documents => Set<Document>();

            protected override void OnModelCreating(ModelBuilder model)
            {
                model.Entity<Document>().ToTable("documents", "app");
                model.Entity<Document>().Property(d => d.Id).HasColumnName("id");
                model.Entity<Document>().Property(d => d.TenantId).HasColumnName("tenant_id");
                model.Entity<Document>().Property(d => d.Title).HasColumnName("title");
            }
        }

        /// <summary>Sets the tenant for the session on every connection EF Core opens (Npgsql resets it in the pool).</summary>
        public sealed class TenantInterceptor(Guid tenant) : DbConnectionInterceptor
        {
            public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT set_config('app.current_tenant', @tenant, false)";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "tenant";
                parameter.Value = tenant.ToString();
                command.Parameters.Add(parameter);
                command.ExecuteNonQuery();
            }

            public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT set_config('app.current_tenant', @tenant, false)";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "tenant";
                parameter.Value = tenant.ToString();
                command.Parameters.Add(parameter);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        public static class Probe
        {
            private static DocumentsDb Open(string connectionString, Guid tenant) =>
                new(new DbContextOptionsBuilder<DocumentsDb>().UseNpgsql(connectionString).AddInterceptors(new TenantInterceptor(tenant)).Options);

            public static async Task<int> CountAsync(string connectionString, Guid tenant)
            {
                await using var db = Open(connectionString, tenant);
                return await db.Documents.CountAsync();
            }

            /// <summary>"ok", or the SQLSTATE PostgreSQL refused the insert with.</summary>
            public static async Task<string> InsertAsync(string connectionString, Guid tenant)
            {
                await using var db = Open(connectionString, tenant);
                db.Documents.Add(new Document { TenantId = tenant, Title = "new" });
                try
                {
                    await db.SaveChangesAsync();
                    return "ok";
                }
                catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException postgres)
                {
                    return postgres.SqlState;
                }
            }
        }
        """;

    [Fact]
    public async Task A_setting_no_policy_reads_sees_no_rows_and_is_flagged_the_read_name_sees_the_tenants_rows_row_31()
    {
        var connectionString = await MigrateAsync();
        var acme = Guid.Parse(Acme);

        var broken = Compile(Source);
        var fixedSource = Source.Replace("'app.current_tenant'", "'app.current_tenant_id'", StringComparison.Ordinal);
        var fixedCode = Compile(fixedSource);

        // Fail-closed: the policy's function reads app.current_tenant_id, which nothing set.
        Assert.Equal(0, await CountAsync(broken.Assembly, connectionString, acme));
        Assert.Equal("42501", await InsertAsync(broken.Assembly, connectionString, acme));
        Assert.Equal(2, await CountAsync(fixedCode.Assembly, connectionString, acme));
        Assert.Equal("ok", await InsertAsync(fixedCode.Assembly, connectionString, acme));
        Assert.Equal(3, await CountAsync(fixedCode.Assembly, connectionString, acme));
        Assert.Equal(1, await CountAsync(fixedCode.Assembly, connectionString, Guid.Parse(Globex)));

        var flagged = broken.Diagnostics.Where(d => d.Id == "TG1013").ToList();
        Assert.True(flagged.Count == 2, string.Join("\n", broken.Diagnostics));
        foreach (var diagnostic in flagged)
        {
            Assert.Equal("'app.current_tenant'", Source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
            Assert.Contains("the policies read 'app.current_tenant_id': set 'app.current_tenant_id' instead", diagnostic.GetMessage(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(fixedCode.Diagnostics, d => d.Id is "TG1013" or "TG1001");

        // The policy compares the tenant column with the function's setting, and isolates tenants (acme 2 rows, globex 1
        // above): TG2003 does not call it a policy that compares the setting with no column.
        Assert.DoesNotContain(fixedCode.Diagnostics, d => d.Id == "TG2003");
        Assert.Contains(fixedCode.Diagnostics, d => d.Id == "TG2006"); // the schema rules did read it: its per-row call is reported
    }

    private async Task<string> MigrateAsync()
    {
        await db.Server.ExecuteAsync($"""
            DO $r$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{AppRole}') THEN CREATE ROLE {AppRole} LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
            END $r$;
            """);
        var database = "unread_setting_" + Guid.NewGuid().ToString("N")[..6];
        await db.Server.ExecuteAsync($"CREATE DATABASE {database}");
        await db.Server.ExecuteAsync(Schema, database);
        await db.Server.ExecuteAsync(
            $"""
            GRANT USAGE ON SCHEMA app TO {AppRole};
            GRANT SELECT, INSERT ON app.documents TO {AppRole};
            GRANT USAGE ON SEQUENCE app.documents_id_seq TO {AppRole};
            INSERT INTO app.documents (tenant_id, title) VALUES ('{Acme}', 'a1'), ('{Acme}', 'a2'), ('{Globex}', 'g1');
            """,
            database);
        return db.Server.ConnectionString(database, AppRole, pooling: false);
    }

    private static async Task<int> CountAsync(Assembly assembly, string connectionString, Guid tenant) =>
        await (Task<int>)assembly.GetType("UnreadProbe.Probe")!.GetMethod("CountAsync")!.Invoke(null, new object[] { connectionString, tenant })!;

    private static async Task<string> InsertAsync(Assembly assembly, string connectionString, Guid tenant) =>
        await (Task<string>)assembly.GetType("UnreadProbe.Probe")!.GetMethod("InsertAsync")!.Invoke(null, new object[] { connectionString, tenant })!;

    private static (Assembly Assembly, ImmutableArray<Diagnostic> Diagnostics) Compile(string source)
    {
        var (assembly, compilation) = ProbeCompilation.Emit("UnreadProbe", source);
        var migrations = ImmutableArray.Create<AdditionalText>(new AdditionalFileText("/migrations/001_documents.sql", Schema));
        return (assembly, ProbeCompilation.Analyze(compilation, new AnalyzerOptions(migrations)));
    }
}
