using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.UnreadSettingAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG1013: code applies a setting no policy reads, while the policies read others.</summary>
    public class TG1013_UnreadSettingTests
    {
        /// <summary>The policies read app.current_tenant_id through a function of the migrations.</summary>
        internal const string ThroughFunction = """
            CREATE SCHEMA app;
            CREATE FUNCTION app.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE
                AS $f$ SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid $f$;
            CREATE TABLE app.documents (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, title text);
            ALTER TABLE app.documents ENABLE ROW LEVEL SECURITY;
            ALTER TABLE app.documents FORCE ROW LEVEL SECURITY;
            CREATE POLICY documents_tenant ON app.documents USING (tenant_id = app.current_tenant_id());
            """;

        internal const string TenantId = """
            CREATE TABLE notes (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);
            ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
            CREATE POLICY notes_tenant ON notes USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
            """;

        private const string UserPolicy = """
            CREATE TABLE inbox (id uuid PRIMARY KEY, user_id uuid NOT NULL);
            ALTER TABLE inbox ENABLE ROW LEVEL SECURITY;
            CREATE POLICY inbox_user ON inbox USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
            """;

        private static Task Check(string source, string migration, params (string, string)[] options) =>
            Verify.AnalyzerAsync(source, options, new[] { ("/migrations/001_schema.sql", migration) });

        [Fact]
        public Task Interceptor_sets_a_setting_the_function_based_policies_do_not_read() => Check(
            """
            using Microsoft.EntityFrameworkCore.Diagnostics;

            sealed class TenantInterceptor(Func<Guid> tenant) : DbConnectionInterceptor
            {
                public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var cmd = connection.CreateCommand();
                    cmd.CommandText = "SELECT set_config({|TG1013:'app.current_tenant'|}, @t, false)";
                    var p = cmd.CreateParameter();
                    p.ParameterName = "t";
                    p.Value = tenant().ToString();
                    cmd.Parameters.Add(p);
                    await cmd.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            """,
            ThroughFunction);

        [Fact]
        public Task The_message_names_the_settings_the_policies_read() => Verify.AnalyzerAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config('app.current_tenant', @tenant, true)", new { tenant }, tx);
            }
            """,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001_schema.sql", ThroughFunction) },
            Verify.Diagnostic("TG1013").WithSpan(4, 41, 4, 61).WithArguments("SqlMapper.Execute", "app.current_tenant", "'app.current_tenant_id'", "set 'app.current_tenant_id' instead"));

        [Fact]
        public Task Set_local_with_a_tenant_name_the_policies_do_not_read() => Check(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx) =>
                    conn.Execute("SET LOCAL {|TG1013:app.tenant|} = '7c9e6679-7425-40de-944b-e07fc1f90ae7'", transaction: tx);
            }
            """,
            TenantId);

        [Fact]
        public Task Ef_core_raw_sql() => Check(
            """
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb db, string tenant)
                {
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSql($"SELECT set_config({|TG1013:'app.current_tenant'|}, {tenant}, true)");
                    tx.Commit();
                }
            }
            """,
            ThroughFunction);

        [Fact]
        public Task A_variant_of_a_read_setting_set_alone() => Check(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string user) =>
                    conn.Execute("SELECT set_config({|TG1013:'app.user'|}, @user, true)", new { user }, tx);
            }
            """,
            UserPolicy);

        [Fact]
        public Task Rls_options_tenant_setting() => Check(
            """
            class C
            {
                TenantGuard.Rls.RlsOptions Options() => new() { TenantSetting = {|TG1013:"app.current_tenant"|} };
            }
            """,
            ThroughFunction);

        [Fact]
        public Task Rls_options_with_the_read_setting_is_clean() => Check(
            """
            class C
            {
                TenantGuard.Rls.RlsOptions Options() => new() { TenantSetting = "app.current_tenant_id" };
            }
            """,
            ThroughFunction);

        [Fact]
        public Task Silent_without_migrations() => Verify.AnalyzerAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config('app.current_tenant', @tenant, true)", new { tenant }, tx);
            }
            """);

        [Fact]
        public Task The_setting_read_through_the_function_is_clean() => Check(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config('app.current_tenant_id', @tenant, true)", new { tenant }, tx);
            }
            """,
            ThroughFunction);

        [Fact]
        public Task Other_settings_next_to_the_read_one_are_clean() => Check(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant, string user, string name)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
                    conn.Execute("SELECT set_config('app.user_id', @user, true), set_config('app.tenant_name', @name, true)", new { user, name }, tx);
                }
            }
            """,
            TenantId);

        [Fact]
        public Task A_setting_of_its_own_that_names_no_tenant_is_clean() => Check(
            """
            class Audit
            {
                // app.user_id for the audit triggers, in a helper of its own: it is not the tenant.
                void SetUser(NpgsqlConnection conn, NpgsqlTransaction tx, string user) =>
                    conn.Execute("SELECT set_config('app.user_id', @user, true)", new { user }, tx);

                void SetTimeout(NpgsqlConnection conn) => conn.Execute("SET statement_timeout = '5s'");
            }
            """,
            TenantId);

        [Fact]
        public Task Silent_when_the_configured_tenant_settings_list_it() => Check(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config('app.current_tenant', @tenant, true)", new { tenant }, tx);
            }
            """,
            ThroughFunction,
            ("tenantguard.tenant_settings", "app.current_tenant, app.current_tenant_id"));

        [Fact]
        public Task Silent_when_a_policy_calls_a_function_the_migrations_do_not_define() => Check(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config('app.current_tenant', @tenant, true)", new { tenant }, tx);
            }
            """,
            TenantId + "\nCREATE TABLE files (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);\nALTER TABLE files ENABLE ROW LEVEL SECURITY;\nCREATE POLICY files_tenant ON files USING (tenant_id = auth.tenant());\n");

        [Fact]
        public Task Silent_when_a_function_of_the_migrations_reads_it() => Check(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config('app.tenant_slug', @tenant, true)", new { tenant }, tx);
            }
            """,
            TenantId + "\nCREATE FUNCTION audit_slug() RETURNS text LANGUAGE sql AS $f$ SELECT current_setting('app.tenant_slug', true) $f$;\n");
    }
}
