using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.Schema.RlsNotForcedAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG2002: row-level security enabled but not forced, reported on the statement that enables it.</summary>
    public class TG2002_RlsNotForcedTests
    {
        private const string Code = "class C { }";

        private static Task Check(params (string Path, string Text)[] migrations) =>
            Verify.AnalyzerAsync(Code, Array.Empty<(string, string)>(), migrations);

        private const string Table = "CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id uuid NOT NULL);\n";
        private const string Policy = "CREATE POLICY invoices_tenant ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);\n";

        [Fact]
        public Task Enabled_and_never_forced() => Check(("/migrations/001.sql", Table + "{|TG2002:ALTER TABLE invoices ENABLE ROW LEVEL SECURITY|};\n" + Policy));

        [Fact]
        public Task The_message_says_the_owner_bypasses_it() => Verify.AnalyzerAsync(
            Code,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001.sql", "ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;") },
            Verify.Diagnostic("TG2002").WithSpan("/migrations/001.sql", 1, 1, 1, 47).WithArguments("invoices", "invoices"));

        [Fact]
        public Task Forced_in_the_same_or_a_later_migration_is_quiet() => Check(
            ("/migrations/001.sql", Table + "ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\n" + Policy),
            ("/migrations/002.sql", "ALTER TABLE invoices FORCE ROW LEVEL SECURITY;"));

        [Fact]
        public Task Enable_and_force_in_one_statement_is_quiet() => Check(
            ("/migrations/001.sql", Table + "ALTER TABLE invoices ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\n" + Policy));

        [Fact]
        public Task No_force_in_a_later_migration_is_reported_on_the_enable() => Check(
            ("/migrations/001.sql", Table + "{|TG2002:ALTER TABLE invoices ENABLE ROW LEVEL SECURITY|};\nALTER TABLE invoices FORCE ROW LEVEL SECURITY;\n" + Policy),
            ("/migrations/002.sql", "ALTER TABLE invoices NO FORCE ROW LEVEL SECURITY;"));

        [Fact]
        public Task Each_table_enabled_in_a_loop_over_literal_names() => Verify.AnalyzerAsync("""
            using Microsoft.EntityFrameworkCore.Migrations;

            public class AddRls : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    foreach (var table in new[] { "contacts", "invoices" })
                    {
                        migrationBuilder.Sql($"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;");
                    }

                    migrationBuilder.Sql("ALTER TABLE contacts FORCE ROW LEVEL SECURITY;");
                }
            }
            """,
            Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG2002").WithSpan(9, 36, 9, 81).WithArguments("invoices", "invoices"));

        [Fact]
        public Task A_disable_comment_above_the_statement() => Check(("/migrations/001.sql", Table + """
            -- tenantguard:disable TG2002 the application connects as tenant_app, which owns nothing
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            """ + "\n" + Policy));
    }
}
