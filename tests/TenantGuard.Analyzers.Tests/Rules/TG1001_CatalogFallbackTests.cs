using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// TG1001's fallback (a statement that names a tenant column is tenant-scoped) applies only where the catalog cannot
    /// answer: without migrations that put tables under row-level security, or for relations the migrations do not know.
    /// </summary>
    public class TG1001_CatalogFallbackTests
    {
        private const string Schema = """
            CREATE TABLE documents (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, title text);
            ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
            CREATE POLICY documents_tenant ON documents USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            CREATE TABLE usage_totals (tenant_id uuid NOT NULL, month date NOT NULL, requests bigint NOT NULL);
            CREATE FUNCTION cross_tenant_report() RETURNS TABLE (tenant_id uuid, documents bigint)
                LANGUAGE sql SECURITY DEFINER AS $f$ SELECT tenant_id, count(*) FROM documents GROUP BY tenant_id $f$;
            """;

        private static Task WithSchema(string source, params (string, string)[] options) =>
            Verify.AnalyzerAsync(source, options, new[] { ("/migrations/001_schema.sql", Schema) });

        private const string Function = """
            class Reports
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    return {|#0:conn.Query("SELECT * FROM cross_tenant_report() ORDER BY tenant_id")|};
                }
            }
            """;

        private const string TableOutsideRls = """
            class Usage
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds, Guid tenant)
                {
                    using var conn = ds.OpenConnection();
                    return {|#0:conn.Query("SELECT month, requests FROM public.usage_totals u WHERE u.tenant_id = @tenant", new { tenant })|};
                }
            }
            """;

        [Fact]
        public Task Without_a_catalog_a_set_returning_function_naming_the_tenant_column_is_reported() => Verify.AnalyzerAsync(
            Function, Array.Empty<(string, string)>(), Verify.Diagnostic("TG1001").WithLocation(0).WithArguments(
                "SqlMapper.Query", "tenant_id", "the tenant setting", "no tenant setting is applied on this connection before it"));

        [Fact]
        public Task Without_a_catalog_a_table_read_by_the_tenant_column_is_reported() => Verify.AnalyzerAsync(
            TableOutsideRls, Array.Empty<(string, string)>(), Verify.Diagnostic("TG1001").WithLocation(0).WithArguments(
                "SqlMapper.Query", "tenant_id", "the tenant setting", "no tenant setting is applied on this connection before it"));

        [Fact]
        public Task With_the_catalog_a_set_returning_function_is_not_reported() => WithSchema(Function.Replace("{|#0:", string.Empty).Replace(")|};", ");"));

        [Fact]
        public Task With_the_catalog_a_table_outside_rls_is_not_reported() => WithSchema(TableOutsideRls.Replace("{|#0:", string.Empty).Replace(")|};", ");"));

        [Fact]
        public Task With_the_catalog_a_table_under_rls_is_still_reported() => WithSchema("""
            class Documents
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds, Guid tenant)
                {
                    using var conn = ds.OpenConnection();
                    return {|TG1001:conn.Query("SELECT d.title FROM usage_totals u JOIN documents d ON d.tenant_id = u.tenant_id")|};
                }
            }
            """);

        [Fact]
        public Task With_the_catalog_a_relation_it_does_not_know_falls_back() => WithSchema("""
            class Archive
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds, Guid tenant)
                {
                    using var conn = ds.OpenConnection();
                    return {|TG1001:conn.Query("SELECT * FROM archived_documents WHERE tenant_id = @tenant", new { tenant })|};
                }
            }
            """);

        [Fact]
        public Task With_the_catalog_a_configured_tenant_table_is_still_reported() => WithSchema(
            """
            class Usage
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    return {|TG1001:conn.Query("SELECT month, requests FROM usage_totals")|};
                }
            }
            """,
            ("tenantguard.tenant_tables", "usage_totals"));
    }
}
