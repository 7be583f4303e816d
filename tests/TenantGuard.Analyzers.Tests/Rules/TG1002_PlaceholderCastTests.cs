using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.PlaceholderCastAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1002_PlaceholderCastTests
    {
        // ---- flagged ----

        [Fact]
        public Task Dapper_jsonb_cast() => Verify.AnalyzerAsync("""
            class C
            {
                Task M(IDbConnection conn, string json) =>
                    conn.ExecuteAsync("INSERT INTO ai_memories (value) VALUES ({|TG1002::value::jsonb|})", new { value = json });
            }
            """);

        [Fact]
        public Task Npgsql_command_text_property() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = "UPDATE contacts SET birthday = {|TG1002::d::date|} WHERE id = :id";
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Verbatim_multi_line_string() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    conn.Execute(@"
                        UPDATE approvals
                           SET payload = {|TG1002::payload::jsonb|},
                               ""state"" = 'open'
                         WHERE id = :id", new { payload = "{}", id = 1 });
                }
            }
            """);

        [Fact]
        public Task Raw_string_literal() => Verify.AnalyzerAsync(""""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    conn.Execute("""
                        INSERT INTO background_jobs (kind, args)
                        VALUES ('sync', {|TG1002::args::jsonb|})
                        """, new { args = "{}" });
                }
            }
            """");

        [Fact]
        public Task Regular_string_with_escapes_before_the_placeholder() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn) =>
                    conn.Execute("SELECT 1\n\t-- \"q\"\nWHERE x = {|TG1002::x::uuid[]|}", new { x = new Guid[0] });
            }
            """);

        [Fact]
        public Task Concatenated_and_single_assignment_local() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    var sql = "INSERT INTO t (a, b) " +
                              "VALUES ({|TG1002::a::int|}, {|TG1002::b::varchar(20)|})";
                    await using var cmd = ds.CreateCommand(sql);
                    await cmd.ExecuteNonQueryAsync();
                }
            }
            """);

        [Fact]
        public Task Command_definition_and_batch() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlConnection conn, NpgsqlTransaction tx)
                {
                    var def = new CommandDefinition("SELECT {|TG1002::p::text|}", new { p = 1 }, tx);
                    await conn.QueryAsync(def);
                    await using var batch = new NpgsqlBatch(conn, tx);
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT {|TG1002::q::pg_catalog.jsonb|}"));
                    await batch.ExecuteNonQueryAsync();
                }
            }
            """);

        [Fact]
        public Task Efcore_raw_sql_and_interpolated_text() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb db, string table)
                {
                    db.Database.ExecuteSqlRaw("UPDATE x SET j = {|TG1002::j::jsonb|}", new NpgsqlParameter("j", "{}"));
                    using var conn = new NpgsqlConnection();
                    conn.Execute($"UPDATE {table} SET j = {|TG1002::j::jsonb|}", new { j = "{}" });
                }
            }
            """);

        [Fact]
        public Task At_placeholder_cast_when_configured() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("UPDATE t SET j = {|TG1002:@j::jsonb|}", new { j = "{}" });
            }
            """, ("tenantguard.flag_at_placeholder_casts", "true"));

        [Fact]
        public Task Constant_from_another_class_reports_at_the_reference() => Verify.AnalyzerAsync("""
            static class Sql
            {
                public const string Insert = "INSERT INTO t (j) VALUES (:j::jsonb)";
            }

            class C
            {
                void M(IDbConnection conn) => conn.Execute({|TG1002:Sql.Insert|}, new { j = "{}" });
            }
            """);

        [Fact]
        public Task Static_readonly_field_reports_at_the_reference() => Verify.AnalyzerAsync("""
            static class Sql
            {
                public static readonly string Insert = "INSERT INTO t (j) VALUES (:j::jsonb)";
                public static string Mutable = "INSERT INTO t (j) VALUES (:j::jsonb)";
            }

            class C
            {
                void M(IDbConnection conn)
                {
                    conn.Execute({|TG1002:Sql.Insert|}, new { j = "{}" });
                    conn.Execute(Sql.Mutable, new { j = "{}" });
                }
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Cast_function_is_fine() => Verify.AnalyzerAsync("""
            class C
            {
                Task M(IDbConnection conn, string json) =>
                    conn.ExecuteAsync("INSERT INTO ai_memories (value) VALUES (CAST(:value AS jsonb))", new { value = json });
            }
            """);

        [Fact]
        public Task At_placeholder_cast_is_fine_by_default() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("UPDATE t SET j = @j::jsonb", new { j = "{}" });
            }
            """);

        [Fact]
        public Task Positional_placeholder_cast_is_fine() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    using var cmd = new NpgsqlCommand("UPDATE t SET j = $1::jsonb", conn);
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Column_cast_is_fine() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Query("SELECT id::text, created_at::date FROM t WHERE a = :a", new { a = 1 });
            }
            """);

        [Fact]
        public Task Placeholder_like_text_inside_strings_and_comments() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("SELECT ':x::jsonb', $q$ :y::int $q$ -- :z::text\n /* :w::uuid */");
            }
            """);

        [Fact]
        public Task Assignment_operator_and_array_slice() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("DO $body$ BEGIN x := 1; END $body$; SELECT arr[1:2]::int[] FROM t");
            }
            """);

        [Fact]
        public Task Strings_that_never_reach_the_database() => Verify.AnalyzerAsync("""
            class C
            {
                string M() { var s = "SELECT :x::jsonb"; Console.WriteLine(s); return s; }
            }
            """);

        [Fact]
        public Task Efcore_interpolated_holes_are_parameters() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb db, string json) => db.Database.ExecuteSql($"UPDATE t SET j = {json}::jsonb");
            }
            """);

        [Fact]
        public Task Odd_code_does_not_crash() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string? s)
                {
                    conn.Execute(s ?? "SELECT :a");
                    conn.Execute("" + null);
                    conn.Execute(":");
                    conn.Execute("SELECT :a::");
                    conn.Execute("'unterminated :a::jsonb");
                }
            }
            """);
    }
}
