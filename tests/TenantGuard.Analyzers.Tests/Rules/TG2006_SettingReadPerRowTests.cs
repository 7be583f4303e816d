using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.SettingReadPerRowAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2006 (suggestion): policies whose current_setting is evaluated per row instead of once in a scalar subquery.</summary>
    public class TG2006_SettingReadPerRowTests
    {
        private const string Code = "class C { }";

        private const string Table = """
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, role text);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;

            """;

        private static Task Check(string policies) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), new[] { ("/migrations/001.sql", Table + policies) });

        [Fact]
        public Task A_function_that_reads_the_setting_called_per_row_is_reported() => Check("""
            CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $f$;
            CREATE FUNCTION is_admin() RETURNS boolean LANGUAGE sql STABLE AS $f$ SELECT true $f$;
            {|TG2006:CREATE POLICY invoices_tenant ON invoices USING (tenant_id = app_tenant())|};
            CREATE POLICY invoices_insert ON invoices FOR INSERT WITH CHECK (tenant_id = (SELECT app_tenant()));
            CREATE POLICY invoices_admin ON invoices FOR DELETE USING (is_admin());
            """);

        [Fact]
        public Task A_function_that_reads_the_setting_through_another_function_is_reported_too() => Check("""
            CREATE FUNCTION app_mode() RETURNS text LANGUAGE sql STABLE AS $f$ SELECT COALESCE(NULLIF(current_setting('app.mode', true), ''), 'none') $f$;
            CREATE FUNCTION app_is_platform() RETURNS boolean LANGUAGE sql STABLE AS $f$ SELECT app_mode() = 'platform' $f$;
            {|TG2006:CREATE POLICY invoices_platform ON invoices FOR DELETE USING (app_is_platform())|};
            """);

        [Fact]
        public Task A_direct_read_is_reported() => Check("""
            {|TG2006:CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)|};
            """);

        [Fact]
        public Task The_message_gives_the_wrapped_form() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", Table + "CREATE POLICY p ON invoices USING (role = current_setting('app.role', true));") },
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("TG2006", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithSpan("/migrations/001.sql", 3, 1, 3, 77).WithArguments("p", "invoices", "current_setting('app.role', true)"));

        [Fact]
        public Task Scalar_subqueries_are_quiet() => Check("""
            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
            CREATE POLICY invoices_role ON invoices FOR SELECT USING ((select current_setting('app.role', true)) = 'admin');
            CREATE POLICY invoices_member ON invoices FOR DELETE USING (tenant_id IN (SELECT m.tenant_id FROM memberships m WHERE m.user_id = current_setting('app.user_id', true)::uuid));
            """);

        [Fact]
        public Task One_report_per_read_with_using_and_with_check_alike() => Check("""
            {|TG2006:CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)|};
            """);

        [Fact]
        public Task Policies_without_settings_are_quiet() => Check("""
            CREATE POLICY invoices_all ON invoices FOR SELECT USING (true);
            CREATE POLICY invoices_jwt ON invoices FOR UPDATE USING (tenant_id = (SELECT (auth.jwt() ->> 'tenant_id')::uuid));
            """);

        [Fact]
        public Task A_disable_comment_on_a_small_table() => Check("""
            -- tenantguard:disable TG2006 a few rows per tenant
            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            """);
    }
}
