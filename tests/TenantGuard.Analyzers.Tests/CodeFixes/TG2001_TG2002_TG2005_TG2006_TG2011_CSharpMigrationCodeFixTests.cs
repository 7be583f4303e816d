using System.Threading.Tasks;
using TenantGuard.Analyzers.Rules.Schema;
using TenantGuard.CodeFixes.Fixes;
using Xunit;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    /// <summary>
    /// The schema fixes where the schema is written in C#: in the SQL of <c>migrationBuilder.Sql("...")</c>, and after an
    /// EF Core <c>CreateTable</c> operation. Through Roslyn's code-fix verifier, Fix All included; the fixed code is
    /// analyzed again by every TenantGuard rule and must be clean.
    /// </summary>
    public class TG2001_TG2002_TG2005_TG2006_TG2011_CSharpMigrationCodeFixTests
    {
        [Fact]
        public Task TG2001_a_table_ef_created_gets_rls_forced_and_a_tenant_policy() =>
            TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TableWithoutRlsAnalyzer, CSharpMigrationCodeFix>.CodeFixAsync("""
                using System;
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddApiKeys : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        {|TG2001:migrationBuilder.CreateTable|}(
                            name: "api_keys",
                            columns: table => new
                            {
                                id = table.Column<Guid>(type: "uuid", nullable: false),
                                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                                key_hash = table.Column<string>(type: "text", nullable: false)
                            },
                            constraints: table => table.PrimaryKey("pk_api_keys", x => new { x.tenant_id, x.id }));

                        {|TG2001:migrationBuilder.CreateTable|}(
                            name: "Webhooks",
                            columns: table => new
                            {
                                Id = table.Column<long>(nullable: false),
                                TenantId = table.Column<long>(name: "tenant_id", nullable: false)
                            },
                            constraints: table => table.PrimaryKey("PK_Webhooks", x => new { x.TenantId, x.Id }));
                    }
                }
                """, """
                using System;
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddApiKeys : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.CreateTable(
                            name: "api_keys",
                            columns: table => new
                            {
                                id = table.Column<Guid>(type: "uuid", nullable: false),
                                tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                                key_hash = table.Column<string>(type: "text", nullable: false)
                            },
                            constraints: table => table.PrimaryKey("pk_api_keys", x => new { x.tenant_id, x.id }));
                        migrationBuilder.Sql("ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("CREATE POLICY api_keys_tenant_isolation ON api_keys USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");

                        migrationBuilder.CreateTable(
                            name: "Webhooks",
                            columns: table => new
                            {
                                Id = table.Column<long>(nullable: false),
                                TenantId = table.Column<long>(name: "tenant_id", nullable: false)
                            },
                            constraints: table => table.PrimaryKey("PK_Webhooks", x => new { x.TenantId, x.Id }));
                        migrationBuilder.Sql("ALTER TABLE \"Webhooks\" ENABLE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("ALTER TABLE \"Webhooks\" FORCE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("CREATE POLICY webhooks_tenant_isolation ON \"Webhooks\" USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::bigint));");
                    }
                }
                """, CSharpMigrationCodeFix.EquivalenceKeyFor(Descriptors.TG2001_TableWithoutRls.Id));

        [Fact]
        public Task TG2001_no_fix_when_the_table_name_comes_from_a_helper_parameter() =>
            TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TableWithoutRlsAnalyzer, CSharpMigrationCodeFix>.NoFixAsync("""
                using System;
                using Microsoft.EntityFrameworkCore.Migrations;

                public static class TenantTables
                {
                    public static void CreateTenantTable(this MigrationBuilder migrationBuilder, string name)
                    {
                        {|TG2001:migrationBuilder.CreateTable|}(
                            name: name,
                            columns: table => new { id = table.Column<Guid>(nullable: false), tenant_id = table.Column<Guid>(nullable: false) },
                            constraints: table => table.PrimaryKey("pk", x => new { x.tenant_id, x.id }));
                    }
                }

                public partial class AddNotes : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.CreateTenantTable("notes");
                }
                """);

        [Fact]
        public Task TG2002_force_is_added_after_the_sql_call_that_enables_rls() =>
            TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<RlsNotForcedAnalyzer, CSharpMigrationCodeFix>.CodeFixAsync("""
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddRls : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.Sql("CREATE TABLE invoices (id uuid, tenant_id uuid NOT NULL, PRIMARY KEY (tenant_id, id));");
                        migrationBuilder.Sql("CREATE TABLE notes (id uuid, tenant_id uuid NOT NULL, PRIMARY KEY (tenant_id, id));");
                        migrationBuilder.Sql("{|TG2002:ALTER TABLE invoices ENABLE ROW LEVEL SECURITY|};");
                        migrationBuilder.Sql("{|TG2002:ALTER TABLE notes ENABLE ROW LEVEL SECURITY|}");
                        migrationBuilder.Sql("CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
                        migrationBuilder.Sql("CREATE POLICY notes_tenant ON notes USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
                    }
                }
                """, """
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddRls : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.Sql("CREATE TABLE invoices (id uuid, tenant_id uuid NOT NULL, PRIMARY KEY (tenant_id, id));");
                        migrationBuilder.Sql("CREATE TABLE notes (id uuid, tenant_id uuid NOT NULL, PRIMARY KEY (tenant_id, id));");
                        migrationBuilder.Sql("ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("ALTER TABLE invoices FORCE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("ALTER TABLE notes ENABLE ROW LEVEL SECURITY");
                        migrationBuilder.Sql("ALTER TABLE notes FORCE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
                        migrationBuilder.Sql("CREATE POLICY notes_tenant ON notes USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
                    }
                }
                """);

        [Fact]
        public Task TG2002_a_table_ef_named_in_pascal_case_is_forced_by_its_quoted_name() =>
            TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<RlsNotForcedAnalyzer, CSharpMigrationCodeFix>.CodeFixAsync("""
                using System;
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class InitIdentity : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.CreateTable(
                            name: "Users",
                            columns: table => new
                            {
                                Id = table.Column<Guid>(type: "uuid", nullable: false),
                                TenantId = table.Column<Guid>(type: "uuid", nullable: false)
                            },
                            constraints: table => table.PrimaryKey("PK_Users", x => new { x.TenantId, x.Id }));
                        migrationBuilder.Sql(@"{|TG2002:ALTER TABLE ""Users"" ENABLE ROW LEVEL SECURITY|};");
                        migrationBuilder.Sql(@"CREATE POLICY users_tenant ON ""Users"" USING (""TenantId"" = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
                    }
                }
                """, """
                using System;
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class InitIdentity : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.CreateTable(
                            name: "Users",
                            columns: table => new
                            {
                                Id = table.Column<Guid>(type: "uuid", nullable: false),
                                TenantId = table.Column<Guid>(type: "uuid", nullable: false)
                            },
                            constraints: table => table.PrimaryKey("PK_Users", x => new { x.TenantId, x.Id }));
                        migrationBuilder.Sql(@"ALTER TABLE ""Users"" ENABLE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("ALTER TABLE \"Users\" FORCE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql(@"CREATE POLICY users_tenant ON ""Users"" USING (""TenantId"" = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));");
                    }
                }
                """);

        [Fact]
        public Task TG2011_the_whole_name_is_built_inside_the_placeholder_in_a_csharp_string() =>
            TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<RejectedStatementAnalyzer, CSharpMigrationCodeFix>.CodeFixAsync("""
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddPolicies : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.Sql(@"
                            DO $do$
                            DECLARE tbl text;
                            BEGIN
                                FOREACH tbl IN ARRAY ARRAY['Companies', 'Users'] LOOP
                                    {|TG2011:EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (true)', tbl, tbl)|};
                                END LOOP;
                            END $do$;");
                    }
                }
                """, """
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddPolicies : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.Sql(@"
                            DO $do$
                            DECLARE tbl text;
                            BEGIN
                                FOREACH tbl IN ARRAY ARRAY['Companies', 'Users'] LOOP
                                    EXECUTE format('CREATE POLICY %I ON %I USING (true)', 'tenant_isolation_' || tbl, tbl);
                                END LOOP;
                            END $do$;");
                    }
                }
                """);

        [Fact]
        public Task TG2005_the_setting_read_is_rewritten_inside_the_csharp_string() =>
            TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<UnsafeSettingReadAnalyzer, CSharpMigrationCodeFix>.CodeFixAsync(""""
                using FluentMigrator;

                [Migration(2)]
                public class M0002_Rls : Migration
                {
                    public override void Up()
                    {
                        Execute.Sql("CREATE TABLE invoices (id uuid, tenant_id uuid NOT NULL, PRIMARY KEY (tenant_id, id)); ALTER TABLE invoices ENABLE ROW LEVEL SECURITY; ALTER TABLE invoices FORCE ROW LEVEL SECURITY;");
                        Execute.Sql(@"{|TG2005:CREATE POLICY invoices_tenant ON invoices
                            USING (tenant_id = (SELECT current_setting('app.tenant_id')::uuid))|}");
                    }

                    public override void Down() { }
                }
                """", """"
                using FluentMigrator;

                [Migration(2)]
                public class M0002_Rls : Migration
                {
                    public override void Up()
                    {
                        Execute.Sql("CREATE TABLE invoices (id uuid, tenant_id uuid NOT NULL, PRIMARY KEY (tenant_id, id)); ALTER TABLE invoices ENABLE ROW LEVEL SECURITY; ALTER TABLE invoices FORCE ROW LEVEL SECURITY;");
                        Execute.Sql(@"CREATE POLICY invoices_tenant ON invoices
                            USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))");
                    }

                    public override void Down() { }
                }
                """");

        [Fact]
        public Task TG2006_the_setting_read_is_wrapped_in_a_subquery_inside_a_raw_string() =>
            TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<SettingReadPerRowAnalyzer, CSharpMigrationCodeFix>.CodeFixAsync(""""
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddRls : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.Sql("CREATE TABLE invoices (id uuid, tenant_id uuid NOT NULL, PRIMARY KEY (tenant_id, id)); ALTER TABLE invoices ENABLE ROW LEVEL SECURITY; ALTER TABLE invoices FORCE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("""
                            {|TG2006:CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)|};
                            """);
                    }
                }
                """", """"
                using Microsoft.EntityFrameworkCore.Migrations;

                public partial class AddRls : Migration
                {
                    protected override void Up(MigrationBuilder migrationBuilder)
                    {
                        migrationBuilder.Sql("CREATE TABLE invoices (id uuid, tenant_id uuid NOT NULL, PRIMARY KEY (tenant_id, id)); ALTER TABLE invoices ENABLE ROW LEVEL SECURITY; ALTER TABLE invoices FORCE ROW LEVEL SECURITY;");
                        migrationBuilder.Sql("""
                            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
                            """);
                    }
                }
                """");
    }
}
