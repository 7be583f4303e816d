using System.Threading.Tasks;
using TenantGuard.Analyzers.Rules;
using TenantGuard.CodeFixes.Fixes;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.PlaceholderCastAnalyzer, TenantGuard.CodeFixes.Fixes.CastPlaceholderCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1002_PlaceholderCastCodeFixTests
    {
        [Fact]
        public Task Single() => Verify.CodeFixAsync(
            """
            class C
            {
                Task M(IDbConnection conn, string json) =>
                    conn.ExecuteAsync("INSERT INTO ai_memories (value) VALUES ({|TG1002::value::jsonb|})", new { value = json });
            }
            """,
            """
            class C
            {
                Task M(IDbConnection conn, string json) =>
                    conn.ExecuteAsync("INSERT INTO ai_memories (value) VALUES (CAST(:value AS jsonb))", new { value = json });
            }
            """, TenantGuard.CodeFixes.Fixes.CastPlaceholderCodeFix.EquivalenceKey);

        [Fact]
        public Task Fix_all_keeps_placeholders_and_type_modifiers() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(IDbConnection conn)
                {
                    conn.Execute("INSERT INTO t (a, b, c) VALUES ({|TG1002::a::varchar(20)|}, {|TG1002::b::uuid[]|}, {|TG1002::c::pg_catalog.jsonb|})", new { a = "", b = new Guid[0], c = "{}" });
                    conn.Execute(@"UPDATE t
                        SET j = {|TG1002::j::jsonb|}", new { j = "{}" });
                }
            }
            """,
            """
            class C
            {
                void M(IDbConnection conn)
                {
                    conn.Execute("INSERT INTO t (a, b, c) VALUES (CAST(:a AS varchar(20)), CAST(:b AS uuid[]), CAST(:c AS pg_catalog.jsonb))", new { a = "", b = new Guid[0], c = "{}" });
                    conn.Execute(@"UPDATE t
                        SET j = CAST(:j AS jsonb)", new { j = "{}" });
                }
            }
            """);

        [Fact]
        public Task Raw_string() => Verify.CodeFixAsync(
            """"
            class C
            {
                void M(NpgsqlConnection conn) => conn.Execute("""
                    INSERT INTO background_jobs (args) VALUES ({|TG1002::args::jsonb|})
                    """, new { args = "{}" });
            }
            """",
            """"
            class C
            {
                void M(NpgsqlConnection conn) => conn.Execute("""
                    INSERT INTO background_jobs (args) VALUES (CAST(:args AS jsonb))
                    """, new { args = "{}" });
            }
            """");

        [Fact]
        public Task No_fix_on_a_constant_declared_elsewhere() => Verify.NoFixAsync("""
            static class Sql { public const string Insert = "INSERT INTO t (j) VALUES (:j::jsonb)"; }

            class C
            {
                void M(IDbConnection conn) => conn.Execute({|TG1002:Sql.Insert|}, new { j = "{}" });
            }
            """);
    }
}
