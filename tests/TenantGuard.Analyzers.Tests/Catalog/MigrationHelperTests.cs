using System.Linq;
using Xunit;
using static TenantGuard.Analyzers.Tests.Catalog.CSharpMigrationTests;
using static TenantGuard.Analyzers.Tests.Catalog.EfCoreOperationsTests;

namespace TenantGuard.Analyzers.Tests.Catalog
{
    /// <summary>Migration helpers in any class, expanded once per call with that call's values, in the calling migration's order.</summary>
    public class MigrationHelperTests
    {
        private const string Helpers = """
            using Microsoft.EntityFrameworkCore.Migrations;

            namespace Infrastructure.Persistence;

            public static class MigrationBuilderExtensions
            {
                public static void EnableTenantRls(this MigrationBuilder migrationBuilder, string table, string column = "tenant_id")
                {
                    migrationBuilder.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;");
                    migrationBuilder.Sql($"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;");
                    CreateTenantPolicy(migrationBuilder, table, column);
                }

                public static void DisableTenantRls(this MigrationBuilder migrationBuilder, string table)
                {
                    migrationBuilder.Sql($"DROP POLICY {table}_tenant ON {table};");
                    migrationBuilder.Sql($"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;");
                }

                private static void CreateTenantPolicy(MigrationBuilder migrationBuilder, string table, string column) =>
                    migrationBuilder.Sql($"CREATE POLICY {table}_tenant ON {table} USING ({column} = NULLIF(current_setting('app.tenant_id', true), '')::uuid);");
            }
            """;

        [Fact]
        public void An_extension_method_of_another_class_is_read_once_per_call()
        {
            var catalog = Read(
                ("/Infrastructure/MigrationBuilderExtensions.cs", Helpers),
                ("/Migrations/20240101000000_Users.cs", """
                    using Infrastructure.Persistence;
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public partial class Users : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder)
                        {
                            migrationBuilder.Sql("CREATE TABLE users (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);");
                            migrationBuilder.Sql("CREATE TABLE projects (id uuid PRIMARY KEY, org uuid NOT NULL);");
                            migrationBuilder.EnableTenantRls("users");
                            migrationBuilder.EnableTenantRls(table: "projects", column: "org");
                        }

                        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DisableTenantRls("users");
                    }
                    """));
            Assert.Empty(catalog.Problems);
            var users = catalog.Table("users")!;
            Assert.True(users.RlsEnabled);
            Assert.True(users.RlsForced);
            var policy = users.Policies.Single();
            Assert.Equal("users_tenant", policy.Name);
            Assert.Equal("tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid", policy.Using!.Text);
            Assert.StartsWith("org = ", catalog.Table("projects")!.Policies.Single().Using!.Text);
        }

        [Fact]
        public void A_static_helper_class_called_by_its_name_with_constants_and_loops()
        {
            var catalog = Read(
                ("/Data/Rls.cs", """
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public static class Rls
                    {
                        public static void Protect(MigrationBuilder builder, params string[] tables)
                        {
                            foreach (var table in tables)
                            {
                                builder.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY");
                            }
                        }
                    }

                    public static class Tables
                    {
                        public const string Invoices = "invoices";
                    }
                    """),
                ("/Migrations/20240101000000_Rls.cs", """
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public partial class AddRls : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder)
                        {
                            Rls.Protect(migrationBuilder, Tables.Invoices, "payments");
                            foreach (var name in new[] { "refunds" })
                            {
                                Rls.Protect(migrationBuilder, name);
                            }
                        }
                    }
                    """));
            Assert.Empty(catalog.Problems);
            Assert.Equal(new[] { "invoices", "payments", "refunds" }, catalog.RlsTables.OrderBy(t => t, System.StringComparer.Ordinal));
        }

        [Fact]
        public void A_helper_creating_tables_with_ef_operations_is_ordered_with_its_callers()
        {
            // The helper's file sorts after every migration; what it does belongs where each migration calls it.
            var catalog = Read(
                ("/Persistence/ZzTenantTables.cs", """
                    using System;
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public static class ZzTenantTables
                    {
                        public static void CreateTenantTable(this MigrationBuilder mb, string name) =>
                            mb.CreateTable(name: name, columns: t => new { id = t.Column<Guid>(nullable: false), tenant_id = t.Column<Guid>(nullable: false) });
                    }
                    """),
                ("/Migrations/20240101000000_A.cs", """
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public partial class A : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.CreateTenantTable("notes");
                    }
                    """),
                ("/Migrations/20240201000000_B.cs", """
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public partial class B : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder)
                        {
                            migrationBuilder.Sql("ALTER TABLE notes ENABLE ROW LEVEL SECURITY");
                            migrationBuilder.DropTable(name: "notes");
                            migrationBuilder.CreateTenantTable("files");
                        }
                    }
                    """));
            Assert.Null(catalog.Table("notes"));
            var files = catalog.Table("files")!;
            Assert.Equal(new[] { "id", "tenant_id" }, files.Columns);
            Assert.Equal("mb.CreateTable", Text(files.Location));
        }

        [Fact]
        public void A_helper_only_down_calls_and_recursion_are_not_followed()
        {
            var catalog = Read(
                ("/Infrastructure/MigrationBuilderExtensions.cs", Helpers),
                ("/Migrations/20240101000000_Users.cs", """
                    using Infrastructure.Persistence;
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public partial class Users : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder) =>
                            migrationBuilder.Sql("CREATE TABLE users (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);");

                        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DisableTenantRls("users");
                    }
                    """),
                ("/Data/Loop.cs", """
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public static class Loop
                    {
                        public static void Again(MigrationBuilder mb, string table)
                        {
                            mb.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY");
                            Again(mb, table);
                        }
                    }
                    """));
            // EnableTenantRls is called by nothing (read as it stands: its holes are unknown); DisableTenantRls only by Down.
            Assert.False(catalog.Table("users")!.RlsEnabled);
            Assert.All(catalog.Problems, p => Assert.Contains("not literal", p.Reason));
        }

        [Fact]
        public void An_argument_known_only_at_run_time_leaves_that_call_unknown()
        {
            var catalog = Read(
                ("/Infrastructure/MigrationBuilderExtensions.cs", Helpers),
                ("/Migrations/20240101000000_Users.cs", """
                    using System;
                    using Infrastructure.Persistence;
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public partial class Users : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder)
                        {
                            migrationBuilder.EnableTenantRls("users");
                            migrationBuilder.EnableTenantRls(Environment.GetEnvironmentVariable("TABLE")!);
                        }
                    }
                    """));
            Assert.True(catalog.Table("users")!.RlsForced);
            Assert.NotEmpty(catalog.Problems);
            Assert.All(catalog.Problems, p => Assert.Equal("/Infrastructure/MigrationBuilderExtensions.cs", p.Location!.SourceTree!.FilePath));
        }
    }
}
