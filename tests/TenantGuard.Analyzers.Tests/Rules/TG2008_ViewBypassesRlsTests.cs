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
            Verify.Diagnostic("TG2008").WithSpan("/migrations/001.sql", 6, 1, 6, 98).WithArguments("big_invoices", "invoices"));

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
