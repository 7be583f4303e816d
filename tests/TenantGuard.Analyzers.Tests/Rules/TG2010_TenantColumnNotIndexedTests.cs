using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.TenantColumnNotIndexedAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2010 (suggestion): tables filtered by a tenant policy whose tenant column leads no index.</summary>
    public class TG2010_TenantColumnNotIndexedTests
    {
        private const string Code = "class C { }";

        private static Task Check(string migration) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), new[] { ("/migrations/001.sql", migration) });

        [Fact]
        public Task No_index_on_the_tenant_column() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", "CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);\nALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);") },
            new DiagnosticResult("TG2010", DiagnosticSeverity.Info).WithSpan("/migrations/001.sql", 1, 1, 1, 71).WithArguments("invoices", "tenant_id", "invoices", "tenant_id"));

        [Fact]
        public Task An_index_that_only_contains_it_later_does_not_count() => Check("""
            {|TG2010:CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL, number text)|};
            CREATE INDEX invoices_number ON invoices (number, tenant_id);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            """);

        [Fact]
        public Task An_index_a_unique_constraint_or_a_primary_key_that_starts_with_it() => Check("""
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
            CREATE INDEX ON invoices (tenant_id);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            CREATE TABLE contacts (id uuid, tenant_id uuid NOT NULL, email text, UNIQUE (tenant_id, email));
            ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON contacts USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            CREATE TABLE notes (tenant_id uuid NOT NULL, id int, PRIMARY KEY (tenant_id, id));
            ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON notes USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            """);

        [Fact]
        public Task Tables_without_rls_a_policy_or_a_tenant_column_are_quiet() => Check("""
            CREATE TABLE staging (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
            CREATE TABLE locked (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
            ALTER TABLE locked ENABLE ROW LEVEL SECURITY;
            CREATE TABLE settings (key text PRIMARY KEY, value text);
            ALTER TABLE settings ENABLE ROW LEVEL SECURITY;
            """);

        [Fact]
        public Task An_index_added_by_a_later_migration() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", "CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);\nALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);"),
                ("/migrations/002.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS invoices_tenant ON invoices USING btree (tenant_id, id);"),
            });

        [Fact]
        public Task A_disable_comment_on_a_small_table() => Check("""
            -- tenantguard:disable TG2010 at most a few rows per tenant
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            CREATE POLICY p ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            """);
    }
}
