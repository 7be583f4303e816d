using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.IncompleteCatalogAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG0002: TenantGuard says when it knows no tenant table, and which migration statements it could not read.</summary>
    public class TG0002_IncompleteCatalogTests
    {
        private const string Code = """
            class C
            {
                int M(NpgsqlConnection conn) => conn.Execute("DELETE FROM invoices");
            }
            """;

        private static DiagnosticResult Info() => new DiagnosticResult("TG0002", DiagnosticSeverity.Info);

        [Fact]
        public Task No_migration_and_no_tables_configured() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            Array.Empty<(string, string)>(),
            Info().WithMessage("TenantGuard knows no tenant table: it found no migration (.sql AdditionalFiles, EF Core or FluentMigrator migrations in C#) and tenantguard.tenant_tables is not set, so TG1001 only sees SQL that names a tenant column; if the schema lies outside the project, name its files with the TenantGuardSchemaFiles property"));

        [Fact]
        public Task Migrations_without_row_level_security() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", "CREATE TABLE invoices (id int);"), ("/migrations/002.sql", "CREATE INDEX ON invoices (id);") },
            Info().WithMessage("TenantGuard knows no tenant table: none of the 2 migration documents it read enables row-level security or creates a policy, and tenantguard.tenant_tables is not set, so TG1001 only sees SQL that names a tenant column"));

        [Fact]
        public Task Tables_from_migrations_say_nothing() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", "ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;") });

        [Fact]
        public Task Tables_from_configuration_say_nothing() => Verify.AnalyzerAsync(Code, ("tenantguard.tenant_tables", "invoices"));

        [Fact]
        public Task Unreadable_statement_in_a_sql_file_is_reported_on_its_line() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", """
                    ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
                    DO $do$
                    DECLARE r record;
                    BEGIN
                        FOR r IN SELECT tablename FROM pg_tables LOOP
                            EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', r.tablename);
                        END LOOP;
                    END $do$;
                    """),
            },
            Info().WithSpan("/migrations/001.sql", 6, 9, 6, 80).WithMessage(
                "TenantGuard could not read this migration statement (EXECUTE format(...) takes 'r.tablename', known only at run time): what 'EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', r.tablename)' does to the tables that exist when it runs is not known, so TG2001, TG2002 and TG2004 stay silent about what it may have done there, and TG1001 may miss what it protects"));

        [Fact]
        public Task Sql_a_method_returns_is_reported_on_the_call() => Verify.AnalyzerAsync(
            """
            using Microsoft.EntityFrameworkCore.Migrations;

            public static class TenantSql
            {
                public static string CreateTenantRlsPolicy() => System.IO.File.ReadAllText("rls.sql");
            }

            public partial class AddRls : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("CREATE TABLE contacts (id uuid, tenant_id uuid)");
                    {|#0:migrationBuilder.Sql(TenantSql.CreateTenantRlsPolicy())|};
                    migrationBuilder.Sql("ALTER TABLE contacts ENABLE ROW LEVEL SECURITY");
                }
            }
            """,
            Array.Empty<(string, string)>(),
            Array.Empty<(string, string)>(),
            Info().WithLocation(0).WithMessage(
                "TenantGuard could not read this migration statement (its SQL is the result of a method call, known only at run time): what 'TenantSql.CreateTenantRlsPolicy()' does to the tables that exist when it runs is not known, so TG2001, TG2002, TG2004, TG2007 and TG2010 stay silent about what it may have done there, and TG1001 may miss what it protects"));

        [Fact]
        public Task Unreadable_statement_in_csharp_is_reported_on_the_string() => Verify.AnalyzerAsync(
            """
            class Rls
            {
                async Task EnableAsync(NpgsqlConnection conn, string[] tables)
                {
                    await conn.ExecuteAsync("ALTER TABLE contacts ENABLE ROW LEVEL SECURITY");
                    foreach (var table in tables)
                    {
                        await conn.ExecuteAsync($"{|TG0002:ALTER TABLE {table} ENABLE ROW LEVEL SECURITY|}");
                    }
                }
            }
            """);

        [Fact]
        public Task Schema_files_found_outside_the_project_are_named() => Verify.AnalyzerAsync(
            Code,
            new[] { ("build_metadata.AdditionalFiles.TenantGuardSchema", "discovered") },
            new[] { ("/repo/Database/001.sql", "CREATE TABLE invoices (id int, tenant_id uuid); ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;") },
            Info().WithMessage("TenantGuard read this project's schema from 1 file outside the project, found where repositories usually keep it because the project has none of its own: /repo/Database/001.sql; name the files with the TenantGuardSchemaFiles property to pin them, or set TenantGuardDiscoverSchema to false to read only the project's own"));
    }
}
