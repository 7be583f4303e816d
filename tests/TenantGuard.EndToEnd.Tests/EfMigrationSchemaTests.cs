using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Basic.Reference.Assemblies;
using Dapper;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TenantGuard.Analyzers.Registry;
using TenantGuard.EndToEnd.Tests.EfMigrations;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// The schema as EF Core writes it, applied by EF Core's own migrator to the live server (docs/postgres-behaviour.md rows
/// 28 and 29): a tenant table created by <c>CreateTable</c> and never put under row-level security shows one tenant
/// another's rows, and TenantGuard reports TG2001 on the <c>CreateTable</c>; the migration its fix writes shows each
/// tenant its own. A foreign key EF created on the customer's id alone accepts an order that points at another tenant's
/// customer, and TenantGuard reports TG2007 on the <c>table.ForeignKey</c> line; with the tenant column in the key the
/// server refuses it (23503).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class EfMigrationSchemaTests(EndToEndDatabase db)
{
    private const string Acme = "00000000-0000-0000-0000-00000000a01e";
    private const string Globex = "00000000-0000-0000-0000-0000000610be";

    private async Task<string> MigrateAsync(string name, Func<string, DbContext> context)
    {
        await db.Server.ExecuteAsync("""
            DO $r$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'schema_owner') THEN CREATE ROLE schema_owner LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'schema_app') THEN CREATE ROLE schema_app LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
            END $r$;
            """);
        var database = name + "_" + Guid.NewGuid().ToString("N")[..6];
        await db.Server.ExecuteAsync($"CREATE DATABASE {database} OWNER schema_owner");
        await using var migrator = context(db.Server.ConnectionString(database, "schema_owner", pooling: false));
        await migrator.Database.MigrateAsync();
        return database;
    }

    private async Task<NpgsqlConnection> AppAsync(string database, string tenant)
    {
        var conn = new NpgsqlConnection(db.Server.ConnectionString(database, "schema_app", pooling: false));
        await conn.OpenAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, false)", new { tenant });
        return conn;
    }

    [Fact]
    public async Task TG2001_a_table_ef_created_without_rls_shows_a_tenant_its_neighbours_rows_row_28()
    {
        async Task<long> Seeded(string database, string tenant)
        {
            await db.Server.ExecuteAsync(
                $"INSERT INTO api_keys (id, tenant_id, name) VALUES (gen_random_uuid(), '{Acme}', 'a1'), (gen_random_uuid(), '{Acme}', 'a2'), (gen_random_uuid(), '{Globex}', 'g1')", database);
            await using var app = await AppAsync(database, tenant);
            return await app.ExecuteScalarAsync<long>("SELECT count(*) FROM api_keys");
        }

        var bad = await MigrateAsync("ef_tg2001_bad", c => new ApiKeysWithoutRlsContext(c));
        Assert.Equal(3, await Seeded(bad, Acme)); // acme sees globex's key

        var fixedDatabase = await MigrateAsync("ef_tg2001_fixed", c => new ApiKeysWithRlsContext(c));
        Assert.Equal(2, await Seeded(fixedDatabase, Acme));
        await using (var globex = await AppAsync(fixedDatabase, Globex))
        {
            Assert.Equal(1, await globex.ExecuteScalarAsync<long>("SELECT count(*) FROM api_keys"));
        }

        var flagged = await DiagnosticsAsync("TG2001_ApiKeysWithoutRls.cs");
        var finding = Assert.Single(flagged);
        Assert.Equal("TG2001", finding.Id);
        Assert.Equal("migrationBuilder.CreateTable", finding.Location.SourceTree!.GetText().ToString(finding.Location.SourceSpan));
        Assert.Empty(await DiagnosticsAsync("TG2001_ApiKeysWithRls.cs"));
    }

    [Fact]
    public async Task TG2007_a_foreign_key_ef_created_without_the_tenant_column_accepts_another_tenants_row_row_29()
    {
        var customer = Guid.NewGuid();
        async Task InsertOrder(string database)
        {
            await db.Server.ExecuteAsync($"INSERT INTO customers (id, tenant_id) VALUES ('{customer}', '{Globex}')", database);
            await using var acme = await AppAsync(database, Acme);
            await acme.ExecuteAsync("INSERT INTO orders (id, tenant_id, customer_id) VALUES (gen_random_uuid(), @tenant::uuid, @customer)", new { tenant = Acme, customer });
        }

        var bad = await MigrateAsync("ef_tg2007_bad", c => new OrdersKeyedByIdContext(c));
        await InsertOrder(bad); // acme's order now points at globex's customer
        await using (var acme = await AppAsync(bad, Acme))
        {
            Assert.Equal(1, await acme.ExecuteScalarAsync<long>("SELECT count(*) FROM orders WHERE customer_id = @customer", new { customer }));
            Assert.Equal(0, await acme.ExecuteScalarAsync<long>("SELECT count(*) FROM customers")); // a customer it cannot see
        }

        var fixedDatabase = await MigrateAsync("ef_tg2007_fixed", c => new OrdersKeyedByTenantContext(c));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => InsertOrder(fixedDatabase));
        Assert.Equal("23503", refused.SqlState); // foreign_key_violation

        var flagged = await DiagnosticsAsync("TG2007_OrdersById.cs");
        var finding = Assert.Single(flagged);
        Assert.Equal("TG2007", finding.Id);
        Assert.Equal("table.ForeignKey", finding.Location.SourceTree!.GetText().ToString(finding.Location.SourceSpan));
        Assert.Empty(await DiagnosticsAsync("TG2007_OrdersByTenant.cs"));
    }

    /// <summary>Every TenantGuard finding (but TG0002) on one migration file of EfMigrations/, compiled as a project of its own.</summary>
    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(string file, [CallerFilePath] string here = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(here)!, "EfMigrations", file);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(await File.ReadAllTextAsync(path), new CSharpParseOptions(LanguageVersion.Latest), path),
            CSharpSyntaxTree.ParseText("global using System;", new CSharpParseOptions(LanguageVersion.Latest), "/GlobalUsings.cs"),
        };
        var references = Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(NpgsqlConnection).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(DbContext).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration).Assembly.Location));
        var compilation = CSharpCompilation.Create("EfMigrations", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var analyzers = TenantGuardRules.CreateAnalyzers();
        var diagnostics = await compilation.WithAnalyzers(analyzers, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty)).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Id != "TG0002").ToImmutableArray();
    }
}
