using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.PrivilegedAccessAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2009: application roles that bypass row-level security, and grants to PUBLIC on tenant tables.</summary>
    public class TG2009_PrivilegedAccessTests
    {
        private const string Code = "class C { }";

        private const string Table = """
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
            CREATE TABLE countries (code text PRIMARY KEY);

            """;

        private static Task Check(string migration, params (string, string)[] options) =>
            Verify.AnalyzerAsync(Code, options, new[] { ("/migrations/001.sql", Table + migration) });

        private static readonly (string, string) AppRoles = ("tenantguard.app_roles", "tenant_app, tenant_worker");

        [Fact]
        public Task An_application_role_with_bypassrls_or_superuser() => Check(
            """
            {|TG2009:CREATE ROLE tenant_app LOGIN BYPASSRLS|};
            CREATE ROLE tenant_worker LOGIN NOBYPASSRLS;
            {|TG2009:ALTER ROLE tenant_worker SUPERUSER|};
            CREATE ROLE migrator LOGIN BYPASSRLS;
            """,
            AppRoles);

        [Fact]
        public Task The_message_names_the_role_and_the_privilege() => Verify.AnalyzerAsync(
            Code,
            new[] { AppRoles },
            new[] { ("/migrations/001.sql", Table + "CREATE ROLE tenant_app LOGIN BYPASSRLS;") },
            Verify.Diagnostic("TG2009").WithSpan("/migrations/001.sql", 5, 1, 5, 39).WithArguments(
                "Role 'tenant_app' is an application role (tenantguard.app_roles) but has BYPASSRLS: it ignores every row-level security policy, whatever tenant it sets; give it NOSUPERUSER NOBYPASSRLS and use another role for migrations and cross-tenant jobs"));

        [Fact]
        public Task Without_app_roles_configured_roles_are_not_judged() => Check("""
            CREATE ROLE tenant_app LOGIN BYPASSRLS;
            """);

        [Fact]
        public Task A_grant_to_public_on_a_tenant_table() => Check("""
            {|TG2009:GRANT SELECT, INSERT ON invoices TO PUBLIC|};
            GRANT SELECT ON countries TO PUBLIC;
            """);

        [Fact]
        public Task Grants_to_roles_are_quiet() => Check("""
            GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO tenant_app;
            """);

        [Fact]
        public Task A_disable_comment_on_a_deliberate_grant() => Check("""
            -- tenantguard:disable TG2009 the table is forced and every role that can log in is an application role
            GRANT SELECT ON invoices TO PUBLIC;
            """);
    }
}
