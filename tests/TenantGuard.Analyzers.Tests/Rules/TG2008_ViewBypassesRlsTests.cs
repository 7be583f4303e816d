using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.ViewBypassesRlsAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2008: views over tenant tables that check row-level security against their owner.</summary>
    public class TG2008_ViewBypassesRlsTests
    {
        private const string Code = "class C { }";

        private const string Tables = """
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, total numeric NOT NULL);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
            CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            CREATE TABLE countries (code text PRIMARY KEY, name text);

            """;

        private static Task Check(string views, params (string Path, string Text)[] more) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), new[] { ("/migrations/001.sql", Tables + views) }.Concat(more).ToArray());

        [Fact]
        public Task A_view_over_a_tenant_table() => Check("""
            {|TG2008:CREATE VIEW invoice_totals AS SELECT tenant_id, sum(total) AS total FROM invoices GROUP BY tenant_id|};
            """);

        [Fact]
        public Task The_message_names_the_tables() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", Tables + "CREATE VIEW big_invoices AS SELECT i.* FROM invoices i JOIN countries c ON true WHERE total > 100;") },
            Verify.Diagnostic("TG2008").WithSpan("/migrations/001.sql", 6, 1, 6, 98).WithArguments("View 'big_invoices' reads invoices with its owner's rights, not the caller's: when the owner bypasses row-level security (a superuser, a BYPASSRLS role, or the owner of a table that is not forced) every tenant sees every row through it; create it WITH (security_invoker = true) (PostgreSQL 15 and later)"));

        [Fact]
        public Task A_materialized_view_over_a_tenant_table_has_its_own_message() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", Tables + "CREATE MATERIALIZED VIEW invoice_daily WITH (timescaledb.continuous) AS SELECT tenant_id, sum(total) FROM invoices GROUP BY 1;") },
            Verify.Diagnostic("TG2008").WithSpan("/migrations/001.sql", 6, 1, 6, 126).WithArguments("Materialized view 'invoice_daily' stores the rows of invoices that the role refreshing it sees, and reading it checks no policy (a materialized view takes neither row-level security nor security_invoker): every role that can select from it sees every tenant's rows; revoke the application's access to it and read it through a view that filters by the tenant, WITH (security_barrier) AS SELECT ... WHERE tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid), or use a plain view WITH (security_invoker = true)"));

        [Fact]
        public Task A_materialized_view_is_reported_even_when_its_query_reads_the_tenant_setting() => Check("""
            {|TG2008:CREATE MATERIALIZED VIEW IF NOT EXISTS my_invoices AS SELECT * FROM invoices WHERE tenant_id = current_setting('app.tenant_id')::uuid|};
            """);

        [Fact]
        public Task A_view_that_filters_by_the_tenant_setting_is_quiet_and_so_is_a_view_over_it() => Check("""
            {|TG2008:CREATE MATERIALIZED VIEW invoice_archive AS SELECT id, tenant_id, total FROM invoices|};
            CREATE VIEW my_invoice_archive WITH (security_barrier) AS SELECT id, tenant_id, total FROM invoice_archive WHERE tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            CREATE VIEW my_big_invoices AS SELECT * FROM my_invoice_archive WHERE total > 100;
            """);

        [Fact]
        public Task A_view_that_reads_another_setting_or_only_selects_the_tenant_setting_is_reported() => Check("""
            {|TG2008:CREATE VIEW localized AS SELECT id, total FROM invoices WHERE current_setting('app.locale', true) = 'en'|};
            {|TG2008:CREATE VIEW labelled AS SELECT current_setting('app.tenant_id', true) AS viewer, id, total FROM invoices|};
            """);

        [Fact]
        public Task Materialized_views_dropped_or_renamed_later() => Check(
            """
            CREATE MATERIALIZED VIEW invoice_archive AS SELECT id, tenant_id, total FROM invoices;
            {|TG2008:CREATE MATERIALIZED VIEW invoice_rollup AS SELECT tenant_id, sum(total) FROM invoices GROUP BY 1|};
            """,
            ("/migrations/002.sql", "DROP MATERIALIZED VIEW IF EXISTS invoice_archive; ALTER MATERIALIZED VIEW invoice_rollup RENAME TO invoice_totals;"));

        [Fact]
        public Task Security_invoker_views_and_views_over_global_tables_are_quiet() => Check("""
            CREATE VIEW invoice_totals WITH (security_invoker = true) AS SELECT tenant_id, sum(total) AS total FROM invoices GROUP BY tenant_id;
            CREATE VIEW country_names AS SELECT name FROM countries;
            """);

        [Fact]
        public Task Security_invoker_set_by_a_later_migration() => Check(
            "CREATE VIEW invoice_totals AS SELECT tenant_id, sum(total) AS total FROM invoices GROUP BY tenant_id;",
            ("/migrations/002.sql", "ALTER VIEW invoice_totals SET (security_invoker = true);"));

        [Fact]
        public Task A_view_over_a_view_reads_with_its_own_owners_rights() => Check("""
            CREATE VIEW invoice_totals WITH (security_invoker = true) AS SELECT tenant_id, sum(total) AS total FROM invoices GROUP BY tenant_id;
            {|TG2008:CREATE VIEW top_totals AS SELECT * FROM invoice_totals ORDER BY total DESC LIMIT 10|};
            """);

        [Fact]
        public Task Security_invoker_reset_later_is_reported_on_the_reset() => Check(
            "CREATE VIEW invoice_totals WITH (security_invoker = true) AS SELECT tenant_id FROM invoices;",
            ("/migrations/002.sql", "{|TG2008:ALTER VIEW invoice_totals RESET (security_invoker)|};"));

        [Fact]
        public Task A_disable_comment_keeps_a_deliberate_cross_tenant_view() => Check("""
            -- tenantguard:disable TG2008 the billing job reads all tenants through this view, as its owner
            CREATE VIEW billing_all AS SELECT * FROM invoices;
            """);
    }
}
