using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.RejectedStatementAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2011: a statement an EXECUTE format(...) builds that PostgreSQL rejects, and the DO block it aborts.</summary>
    public class TG2011_RejectedStatementTests
    {
        private const string Code = "class C { }";

        private static Task Check(string migration) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), new[] { ("/migrations/001.sql", migration) });

        [Fact]
        public Task A_name_glued_to_a_quoted_identifier() => Check("""
            CREATE TABLE "Companies" (id uuid, tenant_id uuid);
            CREATE TABLE "Users" (id uuid, tenant_id uuid);
            DO $do$
            DECLARE tbl text;
            BEGIN
                FOREACH tbl IN ARRAY ARRAY['Companies', 'Users'] LOOP
                    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
                    {|TG2011:EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))', tbl, tbl)|};
                END LOOP;
            END $do$;
            """);

        [Fact]
        public Task A_suffix_after_the_placeholder() => Check("""
            CREATE TABLE "OrderLines" (id uuid, tenant_id uuid);
            DO $do$
            BEGIN
                {|TG2011:EXECUTE format('CREATE POLICY %I_tenant ON %I USING (true)', 'OrderLines', 'OrderLines')|};
            END $do$;
            """);

        [Fact]
        public Task The_message_gives_the_statement_and_the_error() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001.sql", """
                    DO $do$
                    BEGIN
                        EXECUTE format('CREATE POLICY p_%I ON %I USING (true)', 'Companies', 'Companies');
                    END $do$;
                    """),
            },
            Verify.Diagnostic("TG2011").WithSpan("/migrations/001.sql", 3, 5, 3, 86).WithArguments(
                "'CREATE POLICY p_\"Companies\" ON \"Companies\" USING (true)'",
                "42601: syntax error at or near \"\"Companies\"\""));

        [Fact]
        public Task Lower_case_names_and_whole_names_inside_the_placeholder_are_quiet() => Check("""
            CREATE TABLE orders (id uuid, tenant_id uuid);
            CREATE TABLE "Companies" (id uuid, tenant_id uuid);
            DO $do$
            DECLARE tbl text;
            BEGIN
                FOREACH tbl IN ARRAY ARRAY['orders'] LOOP
                    EXECUTE format('CREATE POLICY tenant_isolation_%I ON %I USING (true)', tbl, tbl);
                END LOOP;
                FOREACH tbl IN ARRAY ARRAY['Companies'] LOOP
                    EXECUTE format('CREATE POLICY %I ON %I USING (true)', 'tenant_isolation_' || tbl, tbl);
                    EXECUTE format('SELECT 1 AS%I', tbl);
                END LOOP;
            END $do$;
            """);
    }
}
