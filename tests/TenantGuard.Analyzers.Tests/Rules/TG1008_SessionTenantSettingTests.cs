using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SessionTenantSettingAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1008_SessionTenantSettingTests
    {
        // ---- flagged ----

        [Fact]
        public Task Session_setting_in_a_conditional_text() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, bool known)
                {
                    var text = known ? "{|TG1008:SET app.tenant_id = '42'|}" : "RESET app.tenant_id";
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = text;
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Session_setting_in_one_branch_of_an_if() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, bool known)
                {
                    using var cmd = conn.CreateCommand();
                    if (known)
                        cmd.CommandText = "{|TG1008:SET app.tenant_id = '42'|}";
                    else
                        cmd.CommandText = "RESET app.tenant_id";
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Set_config_false() => Verify.AnalyzerAsync("""
            class C
            {
                Task M(IDbConnection conn, string tenant) =>
                    conn.ExecuteAsync("SELECT {|TG1008:set_config('app.tenant_id', @t, false)|}", new { t = tenant });
            }
            """);

        [Fact]
        public Task Plain_set() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    using var cmd = new NpgsqlCommand("{|TG1008:SET app.tenant_id = '42'|}", conn);
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Set_session() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("{|TG1008:SET SESSION app.tenant_id TO '42'|}");
            }
            """);

        [Fact]
        public Task String_false_and_qualified_function() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string t) => conn.Execute("SELECT {|TG1008:pg_catalog.set_config('app.tenant_id', @t, 'false')|}", new { t });
            }
            """);

        [Fact]
        public Task Configured_setting_name() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string org) => conn.Execute("SELECT {|TG1008:set_config('app.current_org_id', @org, false)|}", new { org });
            }
            """, ("tenantguard.tenant_settings", "app.current_org_id, app.current_user_id"));

        [Fact]
        public Task Setting_learned_from_policy() => Verify.AnalyzerAsync(
            """
            class C
            {
                void M(IDbConnection conn, string org) => conn.Execute("{|TG1008:SET app.org = '1'|}");
            }
            """,
            System.Array.Empty<(string, string)>(),
            new[] { ("/db/migrations/002.sql", "CREATE POLICY org_isolation ON projects USING (org_id = current_setting('app.org', true)::uuid);") });

        [Fact]
        public Task Efcore_raw() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb db, string t) => db.Database.ExecuteSqlRaw("SELECT {|TG1008:set_config('app.tenant_id', {0}, false)|}", t);
            }
            """);

        [Fact]
        public Task Batch_and_data_source() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    await using var batch = ds.CreateBatch();
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("{|TG1008:set app.tenant_id = '1'|}"));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT 1"));
                    await batch.ExecuteNonQueryAsync();
                }
            }
            """);

        [Fact]
        public Task Quoted_setting_name() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("{|TG1008:SET \"app\".\"tenant_id\" = '1'|}");
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Set_config_true() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx, string t) => conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t }, tx);
            }
            """);

        [Fact]
        public Task Set_local() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx) => conn.Execute("SET LOCAL app.tenant_id = '1'", transaction: tx);
            }
            """);

        [Fact]
        public Task Other_session_settings() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn)
                {
                    conn.Execute("SET statement_timeout = '5s'");
                    conn.Execute("SELECT set_config('application_name', 'worker', false)");
                }
            }
            """);

        [Fact]
        public Task Reading_the_setting() => Verify.AnalyzerAsync("""
            class C
            {
                string M(IDbConnection conn) => conn.ExecuteScalar<string>("SELECT current_setting('app.tenant_id', true)")!;
            }
            """);

        [Fact]
        public Task Reset() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("RESET app.tenant_id");
            }
            """);

        [Fact]
        public Task Unknown_scope() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, bool local) => conn.Execute("SELECT set_config('app.tenant_id', '1', @local)", new { local });
            }
            """);

        [Fact]
        public Task Text_in_string_literal() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("INSERT INTO audit (note) VALUES ('SET app.tenant_id = 1')");
            }
            """);

        [Fact]
        public Task Other_tenant_setting_name_not_configured_is_recognized_by_its_name() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("{|TG1008:SET app.current_org_id = '1'|}");
            }
            """);

        [Fact]
        public Task Other_tenant_setting_name_left_out_of_the_configured_list() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("SET app.current_org_id = '1'");
            }
            """, ("tenantguard.tenant_settings", "app.tenant_id"));

        [Fact]
        public Task String_never_executed() => Verify.AnalyzerAsync("""
            class C
            {
                const string Sql = "SET app.tenant_id = '1'";
                string M() => Sql;
            }
            """);

        [Fact]
        public Task Efcore_without_an_open_connection_says_the_setting_is_lost() => Verify.AnalyzerAsync(
            """
            class AppDb : DbContext { }

            class C
            {
                async Task M(string tenant)
                {
                    await using var db = new AppDb();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                }
            }
            """,
            System.Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG1008").WithSpan(8, 54, 8, 93).WithArguments(
                "app.tenant_id",
                "EF Core opens the connection for this one command and closes it afterwards, and the pool resets it, so the queries that follow run without it; begin a transaction (Database.BeginTransaction) and set it in there with set_config('app.tenant_id', value, true)"));

        [Fact]
        public Task Efcore_with_an_open_connection_leaks_like_any_session_setting() => Verify.AnalyzerAsync(
            """
            class AppDb : DbContext { }

            class C
            {
                async Task M(string tenant)
                {
                    await using var db = new AppDb();
                    await db.Database.OpenConnectionAsync();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                }
            }
            """,
            System.Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG1008").WithSpan(9, 54, 9, 93).WithArguments(
                "app.tenant_id",
                "behind a transaction-mode pooler, or with No Reset On Close, the next user of the server connection inherits it; set it transaction-locally with set_config('app.tenant_id', value, true)"));

        [Fact]
        public Task Efcore_injected_context_says_the_setting_is_lost() => Verify.AnalyzerAsync(
            """
            class AppDb : DbContext { }

            class Controller(AppDb context)
            {
                public Task Set(Guid id) => context.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", id.ToString());
            }
            """,
            System.Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG1008").WithSpan(5, 77, 5, 116).WithArguments(
                "app.tenant_id",
                "EF Core opens the connection for this one command and closes it afterwards, and the pool resets it, so the queries that follow run without it; begin a transaction (Database.BeginTransaction) and set it in there with set_config('app.tenant_id', value, true)"));
    }
}
