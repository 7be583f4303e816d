using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.UnsafeSettingReadAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2005: current_setting reads in policies that fail at run time (no missing_ok; a cast without NULLIF).</summary>
    public class TG2005_UnsafeSettingReadTests
    {
        private const string Code = "class C { }";

        private const string Table = """
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, org text, owner_id int);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            ALTER TABLE invoices FORCE ROW LEVEL SECURITY;

            """;

        private static Task Check(string policies) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), new[] { ("/migrations/001.sql", Table + policies) });

        [Fact]
        public Task A_function_a_policy_calls_is_read_too_and_reported_where_it_is_created() => Check("""
            {|TG2005:CREATE FUNCTION app.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT current_setting('app.current_tenant_id')::uuid $f$|};
            CREATE FUNCTION app.unused() RETURNS uuid LANGUAGE sql STABLE AS $f$ SELECT current_setting('app.other')::uuid $f$;
            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = (SELECT app.current_tenant_id()));
            CREATE POLICY invoices_insert ON invoices FOR INSERT WITH CHECK (tenant_id = (SELECT app.current_tenant_id()));
            """);

        [Fact]
        public Task A_cast_without_missing_ok_or_nullif() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", Table + "CREATE POLICY invoices_tenant ON invoices USING (tenant_id = current_setting('app.tenant_id')::uuid);") },
            Verify.Diagnostic("TG2005").WithSpan("/migrations/001.sql", 4, 1, 4, 101).WithArguments(
                "invoices_tenant", "invoices", "current_setting('app.tenant_id')::uuid",
                "on a connection that never set 'app.tenant_id' the query fails with 42704 (unrecognized configuration parameter) instead of seeing no rows; and once a connection has set or reset it its value is '' and ''::uuid fails with 22P02, which fails the whole query",
                "NULLIF(current_setting('app.tenant_id', true), '')::uuid"));

        [Fact]
        public Task Missing_ok_without_nullif_still_fails_on_the_empty_value() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", Table + "CREATE POLICY invoices_tenant ON invoices USING (tenant_id = CAST(current_setting('app.tenant_id', true) AS uuid));") },
            Verify.Diagnostic("TG2005").WithSpan("/migrations/001.sql", 4, 1, 4, 115).WithArguments(
                "invoices_tenant", "invoices", "CAST(current_setting('app.tenant_id', true) AS uuid)",
                "once a connection has set or reset it its value is '' and ''::uuid fails with 22P02, which fails the whole query",
                "NULLIF(current_setting('app.tenant_id', true), '')::uuid"));

        [Fact]
        public Task A_text_comparison_without_missing_ok() => Check("""
            {|TG2005:CREATE POLICY invoices_org ON invoices USING (org = current_setting('app.org'))|};
            """);

        [Fact]
        public Task Integer_casts_and_with_check_count_too() => Check("""
            {|TG2005:CREATE POLICY invoices_owner ON invoices FOR INSERT WITH CHECK (owner_id = current_setting('app.user_id', true)::int)|};
            """);

        [Fact]
        public Task Safe_forms_are_quiet() => Check("""
            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            CREATE POLICY invoices_cast ON invoices FOR SELECT USING (tenant_id = CAST(NULLIF(current_setting('app.tenant_id', true), '') AS uuid));
            CREATE POLICY invoices_org ON invoices FOR UPDATE USING (org = current_setting('app.org', true));
            CREATE POLICY invoices_text ON invoices FOR DELETE USING (org = current_setting('app.org', true)::text);
            CREATE POLICY invoices_sub ON invoices FOR INSERT WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
            """);

        [Fact]
        public Task One_report_per_read_even_when_using_and_with_check_repeat_it() => Check("""
            {|TG2005:CREATE POLICY invoices_tenant ON invoices USING (tenant_id = current_setting('app.tenant_id', true)::uuid) WITH CHECK (tenant_id = current_setting('app.tenant_id', true)::uuid)|};
            """);

        [Fact]
        public Task A_disable_comment_keeps_a_deliberate_fail_closed_read() => Check("""
            -- tenantguard:disable TG2005 a query without the setting must fail loudly here
            CREATE POLICY invoices_org ON invoices USING (org = current_setting('app.org'));
            """);
    }
}
