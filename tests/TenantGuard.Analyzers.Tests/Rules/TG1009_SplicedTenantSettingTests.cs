using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SplicedTenantSettingAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1009_SplicedTenantSettingTests
    {
        // ---- flagged ----

        [Fact]
        public Task Interpolated_set_local() => Verify.AnalyzerAsync("""
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.ExecuteAsync($"SET LOCAL app.tenant_id = '{{|TG1009:tenant|}}'", transaction: tx);
            }
            """);

        [Fact]
        public Task Concatenated_set_local() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, Guid tenant)
                {
                    using var cmd = new NpgsqlCommand("SET LOCAL app.tenant_id = '" + {|TG1012:tenant|} + "'", conn);
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Interpolated_set_config() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.Execute($"SELECT set_config('app.tenant_id', '{{|TG1009:tenant|}}', true)", transaction: tx);
            }
            """);

        [Fact]
        public Task Efcore_raw_with_interpolation() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb db, string tenant) => db.Database.ExecuteSqlRaw($"SET LOCAL app.tenant_id = '{{|TG1009:tenant|}}'");
            }
            """);

        [Fact]
        public Task Through_a_local() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string tenant)
                {
                    var sql = "SET app.tenant_id = '" + {|TG1009:tenant|} + "'";
                    conn.Execute(sql);
                }
            }
            """);

        [Fact]
        public Task Command_text_property() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, int tenant)
                {
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = $"SET LOCAL app.tenant_id = {{|TG1012:tenant|}}";
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Command_text_assigned_in_each_branch_of_an_if_is_read_in_each() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string? userId, string role)
                {
                    using var cmd = conn.CreateCommand();
                    if (!string.IsNullOrEmpty(userId))
                    {
                        cmd.CommandText = $"SET SESSION app.tenant_id = '{{|TG1009:userId|}}'; SET SESSION app.user_role = '{role}';";
                    }
                    else
                    {
                        cmd.CommandText = "RESET app.tenant_id; RESET app.user_role;";
                    }

                    cmd.ExecuteNonQuery();
                }

                void Switch(NpgsqlConnection conn, int mode, string tenant)
                {
                    using var cmd = conn.CreateCommand();
                    switch (mode)
                    {
                        case 0:
                            cmd.CommandText = $"SET app.tenant_id = '{{|TG1009:tenant|}}'";
                            break;
                        default:
                            cmd.CommandText = "SELECT 1";
                            break;
                    }

                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Text_chosen_by_a_conditional_is_read_in_each_branch() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string? tenant) =>
                    conn.Execute(tenant is not null ? $"SET app.tenant_id = '{{|TG1009:tenant|}}'" : "RESET app.tenant_id");
            }
            """);

        [Fact]
        public Task A_command_reused_in_a_row_reports_each_text_once() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string tenant)
                {
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = $"SET app.tenant_id = '{{|TG1009:tenant|}}'";
                    cmd.ExecuteNonQuery();
                    cmd.CommandText = "SELECT count(*) FROM contacts";
                    cmd.ExecuteScalar();
                    if (tenant.Length > 3)
                    {
                        cmd.CommandText = "SELECT 1";
                    }

                    cmd.CommandText = "SELECT 2";
                    cmd.ExecuteScalar();
                }
            }
            """);

        [Fact]
        public Task Batch_command() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string tenant)
                {
                    using var batch = new NpgsqlBatch(conn) { BatchCommands = { new($"SET LOCAL app.tenant_id = '{{|TG1009:tenant|}}'"), new("SELECT 1") } };
                    batch.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Efcore_raw_placeholder_is_bound_not_spliced() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb db, string tenant)
                {
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task String_format_of_the_whole_statement() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string org) =>
                    conn.Execute(string.Format("SET LOCAL app.tenant_id = '{0}'", {|TG1009:org|}), transaction: tx);
            }
            """);

        [Fact]
        public Task String_format_with_params_array_and_escaped_braces() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string org, string role) =>
                    conn.Execute(string.Format("SELECT '{{x}}', set_config('app.role', '{1}', true), set_config('app.tenant_id', '{0}', true)", {|TG1009:org|}, role), transaction: tx);
            }
            """, ("tenantguard.tenant_settings", "app.tenant_id"));

        [Fact]
        public Task Guid_and_its_text_are_typed_values() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, Guid tenant, Guid? maybe)
                {
                    conn.Execute($"SET LOCAL app.tenant_id = '{{|TG1012:tenant|}}'", transaction: tx);
                    conn.Execute("SET LOCAL app.tenant_id = '" + {|TG1012:tenant.ToString()|} + "'", transaction: tx);
                    conn.Execute($"SET LOCAL app.tenant_id = '{{|TG1012:maybe|}}'", transaction: tx);
                }
            }
            """);

        [Fact]
        public Task Typed_value_message_names_the_type() => Verify.AnalyzerAsync(
            """
            enum Region { Eu, Us }

            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, Region region) =>
                    conn.Execute($"SET LOCAL app.tenant_id = '{region}'", transaction: tx);
            }
            """,
            System.Array.Empty<(string, string)>(),
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("TG1012", Microsoft.CodeAnalysis.DiagnosticSeverity.Info)
                .WithSpan(6, 52, 6, 58).WithArguments("app.tenant_id", "enum"));

        [Fact]
        public Task String_format_result() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string tenant) =>
                    conn.Execute("SET LOCAL app.tenant_id = " + string.Format("'{0}'", {|TG1009:tenant|}));
            }
            """);

        [Fact]
        public Task Data_source_command() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    await using var cmd = ds.CreateCommand($"SELECT set_config('app.tenant_id', '{{|TG1009:tenant|}}', true); SELECT 1");
                    await cmd.ExecuteNonQueryAsync();
                }
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Bound_value() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);
            }
            """);

        [Fact]
        public Task Efcore_formattable_string_binds_the_value() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                Task M(AppDb db, string tenant) => db.Database.ExecuteSqlInterpolatedAsync($"SELECT set_config('app.tenant_id', {tenant}, true)");
            }
            """);

        [Fact]
        public Task Constant_interpolation() => Verify.AnalyzerAsync("""
            class C
            {
                const string Setting = "app.tenant_id";
                void M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.Execute($"SELECT set_config('{Setting}', @t, true)", new { t = tenant }, tx);
            }
            """);

        [Fact]
        public Task Spliced_other_setting() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, int seconds) => conn.Execute($"SET LOCAL statement_timeout = '{seconds}s'");
            }
            """);

        [Fact]
        public Task Spliced_table_name_elsewhere() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string table, string tenant) =>
                    conn.Execute($"SELECT set_config('app.tenant_id', @t, true); SELECT * FROM {table}", new { t = tenant }, tx);
            }
            """);

        [Fact]
        public Task Literal_tenant() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx) =>
                    conn.Execute("SET LOCAL app.tenant_id = '" + "00000000-0000-0000-0000-000000000000" + "'", transaction: tx);
            }
            """);

        [Fact]
        public Task Spliced_where_clause_of_a_query() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string tenant) => conn.Execute($"DELETE FROM contacts WHERE tenant_id = '{tenant}'");
            }
            """);

        [Fact]
        public Task Reading_the_setting() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string name) => conn.Execute($"SELECT current_setting('{name}')");
            }
            """);

        [Fact]
        public Task Interpolated_string_never_executed() => Verify.AnalyzerAsync("""
            class C
            {
                string M(string tenant) => $"SET LOCAL app.tenant_id = '{tenant}'";
            }
            """);
    }
}
