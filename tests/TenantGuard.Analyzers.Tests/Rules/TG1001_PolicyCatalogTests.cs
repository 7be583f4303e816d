using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG1001 asks for exactly the settings the policies of the tables a statement touches read.</summary>
    public class TG1001_PolicyCatalogTests
    {
        private const string OrgPolicy = """
            CREATE TABLE invoices (id uuid PRIMARY KEY, org_id uuid NOT NULL, total numeric);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            CREATE POLICY invoices_org ON invoices USING (org_id = current_setting('app.current_org', true)::uuid);
            """;

        private const string TenantAndRole = """
            CREATE TABLE invoices (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, total numeric);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            CREATE POLICY invoices_admin ON invoices
                USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND current_setting('app.role', true) = 'owner_admin');
            """;

        private static Task Check(string source, string migration, params (string, string)[] options) =>
            Verify.AnalyzerAsync(source, options, new[] { ("/migrations/001_schema.sql", migration) });

        private static Task CheckMessage(string source, string migration, string name, string what, string reason) =>
            Verify.AnalyzerAsync(
                source,
                Array.Empty<(string, string)>(),
                new[] { ("/migrations/001_schema.sql", migration) },
                Verify.Diagnostic("TG1001").WithLocation(7, 9).WithArguments("SqlMapper.Query", name, what, reason));

        [Fact]
        public Task Setting_no_policy_reads_is_reported_and_says_so() => CheckMessage(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenant)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    // the policy reads app.current_org: 0 rows at run time
                    conn.Query("SELECT * FROM invoices", transaction: tx);
                    return Array.Empty<dynamic>();
                }
            }
            """,
            OrgPolicy,
            "invoices",
            "'app.current_org' (read by policy 'invoices_org' on invoices)",
            "it sets 'app.tenant_id', which no policy reads (the policies on invoices read 'app.current_org')");

        [Fact]
        public Task The_setting_the_policy_reads_is_clean() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds, Guid org)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    conn.Execute("SELECT set_config('app.current_org', @o, true)", new { o = org.ToString() }, tx);
                    return conn.Query("SELECT * FROM invoices", transaction: tx);
                }
            }
            """,
            OrgPolicy);

        // The connection is the method's own parameter, and the method applies a setting on it itself: in a method's own
        // body that setting replaces the assumed context (only a lambda's received or captured connection, and a method
        // group's handed over by a wrapper, keep it and add to it). Were it additive here, the missing 'app.role' would be
        // reported nowhere: the method's summary for its callers records no requirement once it has a setting of its own.
        [Fact]
        public Task One_of_two_settings_is_reported_with_the_missing_one() => CheckMessage(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenant)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    // app.role is never set: 0 rows
                    conn.Query("SELECT * FROM invoices", transaction: tx);
                    return Array.Empty<dynamic>();
                }
            }
            """,
            TenantAndRole,
            "invoices",
            "'app.role' (policy 'invoices_admin' on invoices reads 'app.tenant_id' and 'app.role')",
            "it sets 'app.tenant_id' but not 'app.role'");

        [Fact]
        public Task Both_settings_in_one_statement_are_clean() => Check(
            """
            class C
            {
                async Task<IEnumerable<dynamic>> M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true), set_config('app.role', 'owner_admin', true)", new { t = tenant.ToString() }, tx);
                    return await conn.QueryAsync("SELECT * FROM invoices", transaction: tx);
                }
            }
            """,
            TenantAndRole);

        [Fact]
        public Task Second_setting_on_one_branch_only() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenant, bool admin)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    if (admin)
                    {
                        conn.Execute("SET LOCAL app.role = 'owner_admin'", transaction: tx);
                    }

                    return {|TG1001:conn.Query("SELECT * FROM invoices", transaction: tx)|};
                }
            }
            """,
            TenantAndRole);

        [Fact]
        public Task Any_one_permissive_policy_is_enough() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid user)
                {
                    conn.Execute("SELECT set_config('app.user_id', @u, true)", new { u = user.ToString() }, tx);
                    return conn.Query("SELECT * FROM documents", transaction: tx);
                }
            }
            """,
            """
            ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
            CREATE POLICY by_tenant ON documents USING (tenant_id = current_setting('app.tenant_id', true)::uuid);
            CREATE POLICY by_owner ON documents USING (owner_id = current_setting('app.user_id', true)::uuid);
            """);

        private const string TenantOrMember = """
            ALTER TABLE "Grain" ENABLE ROW LEVEL SECURITY;
            CREATE POLICY grain_tenant ON "Grain" FOR ALL USING (
                "TenantId" IS NULL OR
                "TenantId" = current_setting('app.current_tenant_id')::uuid OR
                EXISTS (SELECT 1 FROM user_tenant ut WHERE ut.user_id = current_setting('app.current_user_id')::uuid AND ut.tenant_id = "Grain"."TenantId"));
            """;

        [Fact]
        public Task One_branch_of_an_or_is_enough() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid user)
                {
                    conn.Execute("SELECT set_config('app.current_user_id', @u, true)", new { u = user.ToString() }, tx);
                    return conn.Query("SELECT * FROM \"Grain\"", transaction: tx);
                }
            }
            """,
            TenantOrMember);

        [Fact]
        public Task Shared_rows_branch_does_not_count_as_tenant_context() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    // Only the rows with no tenant come back: the tenant's own rows are silently missing.
                    return {|TG1001:conn.Query("SELECT * FROM \"Grain\"")|};
                }
            }
            """,
            TenantOrMember);

        [Fact]
        public Task Restrictive_policy_adds_its_settings() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenant)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    return {|TG1001:conn.Query("SELECT * FROM documents", transaction: tx)|};
                }
            }
            """,
            """
            ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
            CREATE POLICY by_tenant ON documents USING (tenant_id = current_setting('app.tenant_id', true)::uuid);
            CREATE POLICY mfa_only ON documents AS RESTRICTIVE USING (current_setting('app.mfa', true) = 'on');
            """);

        [Fact]
        public Task Policies_apply_per_command() => Check(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenant)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    conn.Query("SELECT * FROM ledger", transaction: tx);
                    {|TG1001:conn.Execute("INSERT INTO ledger (tenant_id, amount) VALUES (@t, 1)", new { t = tenant }, tx)|};
                    {|TG1001:conn.Execute("UPDATE ledger SET amount = 2 WHERE id = 1", transaction: tx)|};
                }
            }
            """,
            """
            ALTER TABLE ledger ENABLE ROW LEVEL SECURITY;
            CREATE POLICY ledger_read ON ledger FOR SELECT USING (tenant_id = current_setting('app.tenant_id', true)::uuid);
            CREATE POLICY ledger_write ON ledger FOR ALL TO bookkeeper
                USING (tenant_id = current_setting('app.tenant_id', true)::uuid AND current_setting('app.role', true) = 'bookkeeper')
                WITH CHECK (tenant_id = current_setting('app.tenant_id', true)::uuid AND current_setting('app.role', true) = 'bookkeeper');
            """);

        [Fact]
        public Task Always_true_policy_needs_no_setting() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    return conn.Query("SELECT * FROM countries WHERE tenant_id IS NULL");
                }
            }
            """,
            """
            ALTER TABLE countries ENABLE ROW LEVEL SECURITY;
            CREATE POLICY everyone_reads ON countries FOR SELECT USING (true);
            """);

        [Fact]
        public Task Configured_settings_override_the_migrations() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenant)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    return conn.Query("SELECT * FROM invoices", transaction: tx);
                }
            }
            """,
            OrgPolicy,
            ("tenantguard.tenant_settings", "app.tenant_id"));

        [Fact]
        public Task Received_connection_is_still_assumed_to_carry_every_setting() => Check(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn) => conn.Query("SELECT * FROM invoices");
            }
            """,
            TenantAndRole);

        [Fact]
        public Task Table_from_a_do_block_is_tenant_scoped() => Check(
            """
            class C
            {
                int M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    return {|TG1001:conn.Execute("DELETE FROM payments WHERE id = 1")|};
                }
            }
            """,
            """
            DO $do$
            BEGIN
                EXECUTE 'ALTER TABLE payments ENABLE ROW LEVEL SECURITY';
                EXECUTE format('CREATE POLICY %I ON payments USING (tenant_id = current_setting(%L, true)::uuid)', 'payments_tenant', 'app.tenant_id');
            END $do$;
            """);

        [Fact]
        public Task Policy_from_an_ef_core_migration_in_csharp() => Verify.AnalyzerAsync(
            """
            using Microsoft.EntityFrameworkCore.Migrations;

            public partial class AddRls : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    migrationBuilder.Sql("ALTER TABLE invoices ENABLE ROW LEVEL SECURITY");
                    migrationBuilder.Sql("CREATE POLICY invoices_org ON invoices USING (org_id = current_setting('app.current_org', true)::uuid)");
                }
            }

            class C
            {
                IEnumerable<dynamic> M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenant)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    return {|TG1001:conn.Query("SELECT * FROM invoices", transaction: tx)|};
                }
            }
            """);
    }
}
