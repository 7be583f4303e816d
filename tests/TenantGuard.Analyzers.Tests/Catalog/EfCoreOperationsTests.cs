using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TenantGuard.Analyzers.Catalog;
using TenantGuard.Analyzers.Tests.Infrastructure;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Catalog
{
    /// <summary>EF Core's migration operations and FluentMigrator's fluent expressions in the catalog, read in migration order.</summary>
    public class EfCoreOperationsTests
    {
        private static PolicyCatalog Read(params (string Path, string Source)[] files) => CSharpMigrationTests.Read(files);

        private const string Initial = """
            using System;
            using Microsoft.EntityFrameworkCore.Migrations;

            public partial class Initial : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.EnsureSchema(name: "app");

                    migrationBuilder.CreateTable(
                        name: "customers",
                        schema: "app",
                        columns: table => new
                        {
                            id = table.Column<Guid>(type: "uuid", nullable: false),
                            tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                            Name = table.Column<string>(name: "display_name", type: "text", nullable: false)
                        },
                        constraints: table =>
                        {
                            table.PrimaryKey("pk_customers", x => new { x.tenant_id, x.id });
                            table.UniqueConstraint("ak_customers_id", x => x.id);
                        });

                    migrationBuilder.CreateTable(
                        name: "orders",
                        schema: "app",
                        columns: table => new
                        {
                            id = table.Column<Guid>(nullable: false),
                            tenant_id = table.Column<Guid>(nullable: false),
                            customer_id = table.Column<Guid>(nullable: false),
                            total = table.Column<decimal>(nullable: false)
                        },
                        constraints: table =>
                        {
                            table.PrimaryKey("pk_orders", x => x.id);
                            table.ForeignKey(
                                name: "fk_orders_customers_customer_id",
                                column: x => x.customer_id,
                                principalSchema: "app",
                                principalTable: "customers",
                                principalColumn: "id",
                                onDelete: ReferentialAction.Cascade);
                        });

                    migrationBuilder.CreateIndex(
                        name: "ix_orders_customer_id",
                        schema: "app",
                        table: "orders",
                        column: "customer_id");
                }

                protected override void Down(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.DropTable(name: "orders", schema: "app");
                    migrationBuilder.DropTable(name: "customers", schema: "app");
                }
            }
            """;

        [Fact]
        public void Create_table_gives_columns_types_keys_and_foreign_keys()
        {
            var catalog = Read(("/Migrations/20240101000000_Initial.cs", Initial));
            var customers = catalog.Table("customers")!;
            Assert.True(customers.Created);
            Assert.Equal("app", customers.Schema);
            Assert.Equal(new[] { "id", "tenant_id", "display_name" }, customers.Columns);
            Assert.Equal("uuid", customers.ColumnTypes["tenant_id"]);
            Assert.Equal(new[] { "tenant_id", "id" }, customers.PrimaryKey);
            Assert.Equal(new[] { "id" }, customers.Indexes.Single().Columns);

            var orders = catalog.Table("orders")!;
            Assert.Equal("numeric", orders.ColumnTypes["total"]);
            var key = orders.ForeignKeys.Single();
            Assert.Equal("fk_orders_customers_customer_id", key.Name);
            Assert.Equal(new[] { "customer_id" }, key.Columns);
            Assert.Equal("customers", key.ReferencedTable);
            Assert.Equal(new[] { "id" }, key.ReferencedColumns);
            Assert.Equal(new[] { "customer_id" }, orders.Indexes.Single().Columns);

            // Findings land on the operation: the table on migrationBuilder.CreateTable, the key on table.ForeignKey.
            Assert.Equal("migrationBuilder.CreateTable", Text(orders.Location));
            Assert.Equal("table.ForeignKey", Text(key.Location));
            Assert.Equal("migrationBuilder.CreateIndex", Text(orders.Indexes.Single().Location));
            Assert.Empty(catalog.Problems); // EnsureSchema is read, and says nothing about row-level security
        }

        [Fact]
        public void Ef_operations_and_sql_of_later_migrations_combine_in_order()
        {
            var catalog = Read(
                ("/Migrations/20240101000000_Initial.cs", Initial),
                ("/Migrations/20240201000000_Rls.cs", """
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public partial class Rls : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder)
                        {
                            migrationBuilder.Sql("ALTER TABLE app.orders ENABLE ROW LEVEL SECURITY;");
                            migrationBuilder.Sql("CREATE POLICY orders_tenant ON app.orders USING (tenant_id = current_setting('app.tenant_id')::uuid);");
                            migrationBuilder.AddColumn<string>(name: "note", schema: "app", table: "orders", type: "text", nullable: true);
                            migrationBuilder.RenameColumn(name: "total", schema: "app", table: "orders", newName: "amount");
                            migrationBuilder.DropForeignKey(name: "fk_orders_customers_customer_id", schema: "app", table: "orders");
                            migrationBuilder.AddForeignKey(
                                name: "fk_orders_customers",
                                schema: "app",
                                table: "orders",
                                columns: new[] { "tenant_id", "customer_id" },
                                principalSchema: "app",
                                principalTable: "customers",
                                principalColumns: new[] { "tenant_id", "id" });
                            migrationBuilder.DropIndex(name: "ix_orders_customer_id", schema: "app", table: "orders");
                            migrationBuilder.CreateIndex(name: "ix_orders_tenant_customer", schema: "app", table: "orders", columns: new[] { "tenant_id", "customer_id" }, unique: true);
                            migrationBuilder.RenameTable(name: "customers", schema: "app", newName: "clients", newSchema: "app");
                        }
                    }
                    """));
            var orders = catalog.Table("orders")!;
            Assert.True(orders.RlsEnabled);
            Assert.Single(orders.Policies);
            Assert.Equal(new[] { "id", "tenant_id", "customer_id", "amount", "note" }, orders.Columns);
            var key = orders.ForeignKeys.Single();
            Assert.Equal(new[] { "tenant_id", "customer_id" }, key.Columns);
            Assert.Equal(new[] { "tenant_id", "id" }, key.ReferencedColumns);
            var index = orders.Indexes.Single();
            Assert.True(index.Unique);
            Assert.Equal(new[] { "tenant_id", "customer_id" }, index.Columns);
            Assert.Null(catalog.Table("customers"));
            Assert.NotNull(catalog.Table("clients"));
        }

        [Fact]
        public void Migration_attribute_orders_migrations_whatever_the_file_names()
        {
            // The designer file holds the id (and is generated, so it is read for that alone).
            var catalog = Read(
                ("/Migrations/AddTable.cs", """
                    using System;
                    using Microsoft.EntityFrameworkCore.Migrations;

                    public partial class AddTable : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder) =>
                            migrationBuilder.CreateTable(name: "notes", columns: table => new { id = table.Column<int>(nullable: false), tenant_id = table.Column<Guid>(nullable: false) });
                    }
                    """),
                ("/Migrations/AddTable.Designer.cs", """
                    // <auto-generated />
                    using Microsoft.EntityFrameworkCore.Migrations;

                    [Migration("20240101000000_AddTable")]
                    partial class AddTable
                    {
                    }
                    """),
                ("/Migrations/AaDropTable.cs", """
                    using Microsoft.EntityFrameworkCore.Migrations;

                    [Migration("20240301000000_DropTable")]
                    public partial class AaDropTable : Migration
                    {
                        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "notes");
                    }
                    """));
            Assert.Null(catalog.Table("notes"));
        }

        [Fact]
        public void Pascal_case_names_stay_as_ef_writes_them()
        {
            var catalog = Read(("/Migrations/20240101000000_Initial.cs", """
                using System;
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class Initial : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.CreateTable(
                            name: "ApiKeys",
                            columns: table => new
                            {
                                Id = table.Column<Guid>(nullable: false),
                                TenantId = table.Column<Guid>(nullable: false),
                            },
                            constraints: table => table.PrimaryKey("PK_ApiKeys", x => x.Id));
                        migrationBuilder.Sql(@"ALTER TABLE ""ApiKeys"" ENABLE ROW LEVEL SECURITY;");
                    }
                }
                """));
            var table = catalog.Table("ApiKeys")!;
            Assert.Equal(new[] { "Id", "TenantId" }, table.Columns);
            Assert.Equal("uuid", table.ColumnTypes["TenantId"]);
            Assert.Equal(new[] { "Id" }, table.PrimaryKey);
            Assert.True(table.RlsEnabled);
        }

        [Fact]
        public void Fluent_migrator_create_table_and_friends()
        {
            var catalog = Read(("/Migrations/M0001_Schema.cs", """
                using FluentMigrator;

                [Migration(1)]
                public class M0001_Schema : Migration
                {
                    public override void Up()
                    {
                        Create.Table("customers").InSchema("app")
                            .WithColumn("id").AsGuid().PrimaryKey()
                            .WithColumn("tenant_id").AsGuid().NotNullable().Indexed("ix_customers_tenant");
                        Create.Table("orders")
                            .WithColumn("id").AsGuid().PrimaryKey()
                            .WithColumn("tenant_id").AsGuid().NotNullable()
                            .WithColumn("customer_id").AsGuid().ForeignKey("fk_orders_customer", "customers", "id");
                        Alter.Table("orders").AddColumn("note").AsString().Nullable();
                        Create.Index("ix_orders_tenant").OnTable("orders").OnColumn("tenant_id").Ascending().OnColumn("id").Ascending();
                        Create.ForeignKey("fk_orders_tenant_customer").FromTable("orders").ForeignColumns("tenant_id", "customer_id").ToTable("customers").PrimaryColumns("tenant_id", "id");
                        Execute.Sql("ALTER TABLE orders ENABLE ROW LEVEL SECURITY");
                    }

                    public override void Down() => Delete.Table("orders");
                }
                """));
            var customers = catalog.Table("customers")!;
            Assert.Equal("app", customers.Schema);
            Assert.Equal(new[] { "id" }, customers.PrimaryKey);
            Assert.Equal("ix_customers_tenant", customers.Indexes.Single().Name);

            var orders = catalog.Table("orders")!;
            Assert.True(orders.RlsEnabled);
            Assert.Equal(new[] { "id", "tenant_id", "customer_id", "note" }, orders.Columns);
            Assert.Equal("uuid", orders.ColumnTypes["customer_id"]);
            Assert.Equal(new[] { "fk_orders_customer", "fk_orders_tenant_customer" }, orders.ForeignKeys.Select(k => k.Name));
            Assert.Equal(new[] { "tenant_id", "customer_id" }, orders.ForeignKeys[1].Columns);
            Assert.Equal(new[] { "tenant_id", "id" }, orders.Indexes.Single().Columns);
            Assert.Equal("Create.Table", Text(orders.Location));
        }

        [Fact]
        public void Operations_with_names_known_only_at_run_time_are_left_out()
        {
            var catalog = Read(("/Migrations/20240101000000_Initial.cs", """
                using System;
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class Initial : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        var name = Environment.GetEnvironmentVariable("TABLE") ?? "x";
                        migrationBuilder.CreateTable(name: name, columns: table => new { tenant_id = table.Column<Guid>(nullable: false) });
                        migrationBuilder.CreateTable(name: "kept", columns: table => new { tenant_id = table.Column<Guid>(nullable: false) }, constraints: null);
                    }
                }
                """));
            Assert.Equal(new[] { "kept" }, catalog.Tables.Keys);
        }

        internal static string Text(Location? location) =>
            location!.SourceTree!.GetText().ToString(location.SourceSpan);
    }
}
