using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Catalog
{
    /// <summary>Policies and row-level security created from C#: EF Core migrations, FluentMigrator, schema managers.</summary>
    public class CSharpMigrationTests
    {
        /// <summary>The catalog of C# sources compiled with the real EF Core, FluentMigrator, Npgsql and Dapper assemblies.</summary>
        internal static PolicyCatalog Read(params (string Path, string Source)[] files)
        {
            var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Source, new CSharpParseOptions(LanguageVersion.CSharp12), f.Path))
                .Append(CSharpSyntaxTree.ParseText(TestReferences.GlobalUsings, new CSharpParseOptions(LanguageVersion.CSharp12), "/GlobalUsings.cs"));
            var compilation = CSharpCompilation.Create("migrations", trees, TestReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            return MigrationSources.Read(compilation, ImmutableArray<AdditionalText>.Empty, default);
        }

        [Fact]
        public void Ef_core_migration_sql()
        {
            var catalog = Read(("/Migrations/20240301120000_AddRls.cs", """
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddRls : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.Sql("ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql(@"CREATE POLICY invoices_org ON invoices
                            USING (org_id = current_setting('app.current_org', true)::uuid);");
                        migrationBuilder.Sql(
                            "ALTER TABLE invoices " +
                            "FORCE ROW LEVEL SECURITY");
                    }
                }
                """));
            var table = catalog.Table("invoices")!;
            Assert.True(table.RlsEnabled);
            Assert.True(table.RlsForced);
            Assert.Equal(new[] { "app.current_org" }, table.Policies.Single().Settings);
            Assert.Equal("/Migrations/20240301120000_AddRls.cs", table.Policies.Single().Location!.SourceTree!.FilePath);
        }

        [Fact]
        public void Fluent_migrator_execute_sql_and_raw_strings()
        {
            var catalog = Read(("/Migrations/M0002_Rls.cs", """"
                using FluentMigrator;

                [Migration(2)]
                public class M0002_Rls : Migration
                {
                    public override void Up()
                    {
                        Execute.Sql("""
                            ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
                            CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant_id', true)::uuid);
                            """);
                    }

                    public override void Down() => Execute.Sql("DROP POLICY projects_tenant ON projects");
                }
                """"));
            // Down() undoes the migration: it is not read, so the policy created in Up() stays.
            var table = catalog.Table("projects")!;
            Assert.True(table.RlsEnabled);
            Assert.Equal("projects_tenant", table.Policies.Single().Name);
        }

        [Fact]
        public void Constants_spliced_into_fluent_migrator_sql_are_read()
        {
            var catalog = Read(("/Database/Migration2.cs", """
                using FluentMigrator;

                [Migration(2)]
                public class Migration2 : Migration
                {
                    const string Table = "cars";
                    const string Column = "tenant";
                    const string CurrentTenant = "current_setting('app.tenant')::VARCHAR";
                    const string Policy = Table + "_tenant_isolation";
                    private static readonly string Role = $"{Table}_app";

                    public override void Up()
                    {
                        const string Permissions = "SELECT, UPDATE, INSERT, DELETE";
                        Execute.Sql($"GRANT {Permissions} ON {Table} TO {Role};");
                        Execute.Sql($"ALTER TABLE {Table} ENABLE ROW LEVEL SECURITY;");
                        Execute.Sql($"CREATE POLICY {Policy} ON {Table} FOR ALL TO {Role} USING ({Column} = {CurrentTenant});");
                    }

                    public override void Down() => Execute.Sql($"DROP POLICY IF EXISTS {Policy} ON {Table};");
                }
                """));
            Assert.Empty(catalog.Problems);
            var table = catalog.Table("cars")!;
            Assert.True(table.RlsEnabled);
            var policy = table.Policies.Single();
            Assert.Equal("cars_tenant_isolation", policy.Name);
            Assert.Equal(new[] { "app.tenant" }, policy.Settings);
            Assert.Equal(new[] { "cars_app" }, policy.Roles);
        }

        [Fact]
        public void A_parameter_or_variable_named_like_a_constant_stays_unknown()
        {
            var catalog = Read(("/Data/Rls.cs", """
                public class Rls
                {
                    const string table = "documents";

                    public async Task EnableAsync(NpgsqlConnection conn, string table)
                    {
                        await conn.ExecuteAsync($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY");
                    }

                    public async Task ForceAsync(NpgsqlConnection conn)
                    {
                        var table = Console.ReadLine();
                        await conn.ExecuteAsync($"ALTER TABLE {table} FORCE ROW LEVEL SECURITY");
                    }

                    public Task PolicyAsync(NpgsqlConnection conn, string[] names) =>
                        Task.WhenAll(names.Select(table => conn.ExecuteAsync($"CREATE POLICY p ON {table} USING (true)")));
                }
                """));
            Assert.Equal(3, catalog.Problems.Length);
            Assert.Empty(catalog.Tables);
        }

        [Fact]
        public void Schema_manager_strings_and_constants()
        {
            var catalog = Read(("/Data/SchemaManager.cs", """
                public class SchemaManager
                {
                    private const string EnableRls = "ALTER TABLE documents ENABLE ROW LEVEL SECURITY";
                    private static readonly string[] Statements =
                    {
                        EnableRls,
                        "CREATE POLICY documents_tenant ON documents USING (tenant_id = current_setting('app.tenant_id', true)::uuid)",
                    };

                    public async Task ApplyAsync(NpgsqlConnection conn)
                    {
                        foreach (var sql in Statements)
                        {
                            await conn.ExecuteAsync(sql);
                        }
                    }
                }
                """));
            var table = catalog.Table("documents")!;
            Assert.True(table.RlsEnabled);
            Assert.Single(table.Policies);
        }

        [Fact]
        public void Loop_over_literal_table_names_is_read_once_per_table()
        {
            var catalog = Read(("/Migrations/20240401000000_TenantRls.cs", """"
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class TenantRls : Migration
                {
                    private static readonly string[] TenantTables =
                    [
                        "pm_tasks",
                        "PmSubmittals",
                    ];

                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        foreach (var table in TenantTables)
                        {
                            migrationBuilder.Sql($@"ALTER TABLE ""{table}"" ENABLE ROW LEVEL SECURITY;");
                            migrationBuilder.Sql($@"
                                CREATE POLICY {table.ToLower()}_tenant_isolation ON ""{table}""
                                USING (""TenantId""::text = current_setting('app.current_tenant', true));");
                        }

                        var local = new[] { "bids" };
                        foreach (var name in local)
                        {
                            migrationBuilder.Sql("ALTER TABLE " + name + " ENABLE ROW LEVEL SECURITY");
                        }
                    }
                }
                """"));
            Assert.Empty(catalog.Problems);
            Assert.Equal(new[] { "PmSubmittals", "bids", "pm_tasks" }, catalog.RlsTables.OrderBy(t => t, System.StringComparer.Ordinal));
            Assert.Equal("pm_tasks_tenant_isolation", catalog.Table("pm_tasks")!.Policies.Single().Name);
            Assert.Equal("pmsubmittals_tenant_isolation", catalog.Table("PmSubmittals")!.Policies.Single().Name);
            Assert.Equal(new[] { "app.current_tenant" }, catalog.Table("PmSubmittals")!.Policies.Single().Settings);
        }

        [Fact]
        public void Helpers_of_the_migration_class_are_read_with_the_tables_their_calls_pass()
        {
            var catalog = Read(("/Migrations/20260208_AddPayments.cs", """"
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddPayments : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        AddRlsPolicies(migrationBuilder, "payment_applications");
                        foreach (var table in new[] { "subcontracts", "change_orders" })
                        {
                            AddRlsPolicies(migrationBuilder, table);
                        }
                    }

                    protected override void Down(MigrationBuilder migrationBuilder) => DropRlsPolicies(migrationBuilder, "payment_applications");

                    private static void AddRlsPolicies(MigrationBuilder migrationBuilder, string table)
                    {
                        migrationBuilder.Sql($@"ALTER TABLE ""{table}"" ENABLE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql($@"ALTER TABLE ""{table}"" FORCE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql($@"CREATE POLICY {table}_tenant ON ""{table}"" USING (""TenantId""::text = current_setting('app.current_tenant', true));");
                    }

                    private static void DropRlsPolicies(MigrationBuilder migrationBuilder, string table)
                    {
                        migrationBuilder.Sql($@"DROP POLICY IF EXISTS {table}_tenant ON ""{table}"";");
                        migrationBuilder.Sql($@"ALTER TABLE ""{table}"" DISABLE ROW LEVEL SECURITY;");
                    }
                }
                """"));
            Assert.Empty(catalog.Problems);
            Assert.Equal(new[] { "change_orders", "payment_applications", "subcontracts" }, catalog.RlsTables.OrderBy(t => t, System.StringComparer.Ordinal));
            Assert.True(catalog.Table("payment_applications")!.RlsEnabled);
            Assert.True(catalog.Table("change_orders")!.RlsForced);
            Assert.Equal("subcontracts_tenant", catalog.Table("subcontracts")!.Policies.Single().Name);
        }

        [Fact]
        public void Interpolated_table_name_is_a_problem_at_the_string()
        {
            var catalog = Read(("/Data/Rls.cs", """
                public class Rls
                {
                    public async Task EnableAsync(NpgsqlConnection conn, string[] tables)
                    {
                        foreach (var table in tables)
                        {
                            await conn.ExecuteAsync($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY");
                        }
                    }
                }
                """));
            var problem = Assert.Single(catalog.Problems);
            Assert.Equal("/Data/Rls.cs", problem.Location!.SourceTree!.FilePath);
            Assert.Equal(6, problem.Location.GetLineSpan().StartLinePosition.Line);
            Assert.Contains("not literal", problem.Reason);
            Assert.Equal("ALTER TABLE {…} ENABLE ROW LEVEL SECURITY", problem.Statement);
            Assert.Empty(catalog.Tables);
        }

        [Fact]
        public void Strings_that_are_not_migrations_are_not_read()
        {
            var catalog = Read(("/Data/Repo.cs", """
                public class Repo
                {
                    public Task<int> Delete(NpgsqlConnection conn) => conn.ExecuteAsync("DELETE FROM contacts");
                    public string Help => "see the privacy policy";
                }
                """));
            Assert.Empty(catalog.Tables);
            Assert.Equal(0, catalog.Documents);
        }
    }
}
