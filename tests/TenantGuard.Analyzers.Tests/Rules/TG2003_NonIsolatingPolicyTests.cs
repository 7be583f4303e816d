using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.NonIsolatingPolicyAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2003: permissive policies that let rows through without telling tenants apart.</summary>
    public class TG2003_NonIsolatingPolicyTests
    {
        private const string Code = "class C { }";

        private const string Table = """
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, is_public boolean NOT NULL DEFAULT false);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

            """;

        private static Task Check(string policies, params (string, string)[] options) =>
            Verify.AnalyzerAsync(Code, options, new[] { ("/migrations/001.sql", Table + policies) });

        [Fact]
        public Task Always_true_policies() => Check("""
            {|TG2003:CREATE POLICY invoices_all ON invoices USING (true)|};
            {|TG2003:CREATE POLICY invoices_insert ON invoices FOR INSERT WITH CHECK (1 = 1)|};
            """);

        [Fact]
        public Task The_message_says_why() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", Table + "CREATE POLICY invoices_transition ON invoices USING (true);") },
            Verify.Diagnostic("TG2003").WithSpan("/migrations/001.sql", 5, 1, 5, 59).WithArguments(
                "invoices_transition", "invoices",
                "USING (true) is always true, and permissive policies are OR-ed: every tenant reads and changes every row"));

        [Fact]
        public Task A_setting_tested_for_presence_alone() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", Table + "CREATE POLICY invoices_any ON invoices USING (current_setting('app.tenant_id', true) IS NOT NULL);") },
            Verify.Diagnostic("TG2003").WithSpan("/migrations/001.sql", 5, 1, 5, 98).WithArguments(
                "invoices_any", "invoices",
                "USING (current_setting('app.tenant_id', true) IS NOT NULL) compares 'app.tenant_id' with no column: any connection that sets it, to any value, passes every row"));

        [Fact]
        public Task Neither_a_tenant_setting_nor_a_tenant_column() => Check("""
            {|TG2003:CREATE POLICY invoices_public ON invoices FOR SELECT USING (is_public)|};
            """);

        [Fact]
        public Task A_policy_comparing_the_tenant_column_with_a_function_that_reads_the_setting_isolates() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", """
                    CREATE SCHEMA app;
                    CREATE FUNCTION app.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE
                        AS $f$ SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid $f$;
                    CREATE TABLE app.documents (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);
                    ALTER TABLE app.documents ENABLE ROW LEVEL SECURITY;
                    ALTER TABLE app.documents FORCE ROW LEVEL SECURITY;
                    CREATE POLICY documents_select ON app.documents FOR SELECT USING (tenant_id = app.current_tenant_id());
                    CREATE POLICY documents_insert ON app.documents FOR INSERT WITH CHECK (tenant_id = (SELECT app.current_tenant_id()));
                    CREATE POLICY documents_update ON app.documents FOR UPDATE USING (app.documents.tenant_id = app.current_tenant_id()) WITH CHECK (app.current_tenant_id() = tenant_id);
                    """),
            });

        [Fact]
        public Task A_function_that_reads_a_setting_compared_with_a_literal_is_a_gate() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", """
                    CREATE FUNCTION app_tenant() RETURNS integer LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::int $f$;
                    CREATE FUNCTION app_mode() RETURNS text LANGUAGE sql STABLE AS $f$ SELECT COALESCE(NULLIF(current_setting('app.mode', true), ''), 'none') $f$;
                    CREATE TABLE areas (id integer PRIMARY KEY, tenant_id integer NOT NULL);
                    ALTER TABLE areas ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY areas_tenant ON areas USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
                    CREATE POLICY areas_login ON areas FOR SELECT USING (app_mode() = 'login');
                    """),
            });

        [Fact]
        public Task A_gate_function_that_compares_another_functions_setting_with_a_literal() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", """
                    CREATE FUNCTION app_tenant() RETURNS integer LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::int $f$;
                    CREATE FUNCTION app_mode() RETURNS text LANGUAGE sql STABLE AS $f$ SELECT COALESCE(NULLIF(current_setting('app.mode', true), ''), 'none') $f$;
                    CREATE FUNCTION app_is_platform() RETURNS boolean LANGUAGE sql STABLE AS $f$ SELECT app_mode() = 'platform' $f$;
                    CREATE TABLE areas (id integer PRIMARY KEY, tenant_id integer NOT NULL);
                    ALTER TABLE areas ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY areas_tenant ON areas USING (app_is_platform() OR tenant_id = app_tenant());
                    CREATE POLICY areas_platform ON areas FOR DELETE USING (app_is_platform());
                    """),
            });

        [Fact]
        public Task A_bare_call_finds_the_public_function_before_another_schemas() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", """
                    CREATE FUNCTION audit.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('audit.tenant', true), '')::uuid $f$;
                    CREATE FUNCTION current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $f$;
                    CREATE TABLE documents (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);
                    ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY documents_tenant ON documents USING (tenant_id = current_tenant_id());
                    CREATE POLICY documents_audit ON documents FOR SELECT USING (tenant_id = audit.current_tenant_id());
                    CREATE POLICY documents_public ON documents FOR DELETE USING (tenant_id = public.current_tenant_id());
                    """),
            });

        [Fact]
        public Task A_function_that_reads_the_setting_compared_with_nothing_is_reported() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", """
                    CREATE FUNCTION current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $f$;
                    CREATE TABLE documents (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);
                    ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
                    {|TG2003:CREATE POLICY documents_any ON documents USING (current_tenant_id() IS NOT NULL)|};
                    """),
            });

        [Fact]
        public Task Isolating_policies_are_quiet() => Check("""
            CREATE POLICY invoices_member ON invoices USING (tenant_id IN (SELECT m.tenant_id FROM memberships m WHERE m.user_id = NULLIF(current_setting('app.user_id', true), '')::uuid));
            CREATE POLICY invoices_db_user ON invoices USING (tenant_id = (SELECT u.tenant_id FROM app_users u WHERE u.name = current_user));
            CREATE POLICY invoices_admin ON invoices USING (current_setting('app.role', true) = 'platform_admin');
            CREATE POLICY invoices_supabase ON invoices USING (tenant_id = (SELECT auth.jwt() ->> 'tenant_id')::uuid);
            """);

        [Fact]
        public Task Restrictive_policies_and_roles_that_bypass_rls_anyway_are_quiet() => Check("""
            CREATE POLICY invoices_check ON invoices AS RESTRICTIVE USING (true);
            CREATE POLICY invoices_service ON invoices TO service_role USING (true);
            CREATE ROLE migrator BYPASSRLS;
            CREATE POLICY invoices_migrator ON invoices TO migrator USING (true);
            """);

        [Fact]
        public Task With_app_roles_only_policies_for_those_roles_count() => Check(
            """
            {|TG2003:CREATE POLICY invoices_app ON invoices TO tenant_app USING (true)|};
            CREATE POLICY invoices_reporting ON invoices TO reporting USING (true);
            """,
            ("tenantguard.app_roles", "tenant_app"));

        [Fact]
        public Task A_disable_comment_keeps_a_deliberate_policy() => Check("""
            -- tenantguard:disable TG2003 catalogue rows are shared by design
            CREATE POLICY invoices_public ON invoices FOR SELECT USING (is_public);
            """);

        [Fact]
        public Task Global_tables_readable_by_everyone_are_quiet() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", """
                CREATE TABLE plans (id serial PRIMARY KEY, name text NOT NULL);
                ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
                CREATE POLICY plans_read ON plans FOR SELECT USING (true);
                CREATE POLICY plans_admin ON plans USING (current_setting('app.user_id', true) IS NULL);
                """) });
    }
}
