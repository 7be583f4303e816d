using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.SetWithBindParameterAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1006_SetWithBindParameterTests
    {
        // ---- flagged ----

        [Fact]
        public Task Set_with_parameter_in_the_else_branch() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant, bool admin)
                {
                    using var cmd = new NpgsqlCommand { Connection = conn, Transaction = tx };
                    if (admin)
                    {
                        cmd.CommandText = "SELECT set_config('app.tenant_id', '', true)";
                    }
                    else
                    {
                        cmd.CommandText = "{|TG1006:SET LOCAL app.tenant_id = @t|}";
                        cmd.Parameters.AddWithValue("t", tenant);
                    }

                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Dapper_set_local_with_named_parameter() => Verify.AnalyzerAsync("""
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.ExecuteAsync("{|TG1006:SET LOCAL app.tenant_id = @t|}", new { t = tenant }, tx);
            }
            """);

        [Fact]
        public Task Npgsql_command_with_colon_parameter() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn, string tenant)
                {
                    using var cmd = new NpgsqlCommand("{|TG1006:SET LOCAL app.tenant_id = :t|}", conn);
                    cmd.Parameters.AddWithValue("t", tenant);
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Positional_parameter_with_to() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = "{|TG1006:set local app.role to $1|}";
                    cmd.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Session_set_with_parameter() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string tenant) => conn.Execute("{|TG1006:SET app.tenant_id = @t|}", new { t = tenant });
            }
            """);

        [Fact]
        public Task Second_statement_of_a_multi_statement_text() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, string role, string tenant) =>
                    conn.Execute("SET LOCAL app.role = 'owner_admin'; {|TG1006:SET LOCAL app.tenant_id = @t|}; SELECT 1", new { t = tenant });
            }
            """);

        [Fact]
        public Task Batch_command() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlConnection conn)
                {
                    using var batch = new NpgsqlBatch(conn);
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("{|TG1006:SET LOCAL app.tenant_id = @t|}"));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT 1"));
                    batch.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task Efcore_interpolated_value_becomes_a_parameter() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                Task M(AppDb db, string tenant) => db.Database.ExecuteSqlAsync($"{|TG1006:SET LOCAL app.tenant_id = {tenant}|}");
            }
            """);

        [Fact]
        public Task Efcore_raw_placeholders_are_bind_parameters() => Verify.AnalyzerAsync("""
            class Contact { public int Id { get; set; } }
            class AppDb : DbContext { public DbSet<Contact> Contacts => Set<Contact>(); }

            class C
            {
                void M(AppDb db, Guid tenantId, string role)
                {
                    db.Database.ExecuteSqlRaw("{|TG1006:SET LOCAL app.current_tenant_id = {0}|}", tenantId);
                    db.Database.ExecuteSqlRaw("{|TG1006:SET app.role TO {1}|}; SELECT {0}", tenantId, role);
                    _ = db.Contacts.FromSqlRaw("{|TG1006:SET LOCAL app.current_tenant_id = {0}|}; SELECT * FROM contacts", tenantId).ToList();
                    _ = db.Database.SqlQueryRaw<int>("{|TG1006:SET LOCAL app.current_tenant_id = {0}|}; SELECT 1", tenantId).ToList();
                }
            }
            """);

        [Fact]
        public Task Efcore_raw_braces_without_arguments_are_text() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(AppDb db) => db.Database.ExecuteSqlRaw("SET LOCAL app.payload = '{0}'");
            }
            """);

        [Fact]
        public Task Data_source_command_and_set_role() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    await using var cmd = ds.CreateCommand("{|TG1006:SET ROLE @r|}");
                    await cmd.ExecuteNonQueryAsync();
                }
            }
            """);

        [Fact]
        public Task Multi_line_verbatim() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx) => conn.Execute(@"
                    {|TG1006:SET LOCAL app.tenant_id
                        = @tenant|};
                    SELECT 1", new { tenant = "x" }, tx);
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Set_config_with_parameter() => Verify.AnalyzerAsync("""
            class C
            {
                Task M(IDbConnection conn, IDbTransaction tx, string tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);
            }
            """);

        [Fact]
        public Task Set_local_with_literal() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn, IDbTransaction tx) => conn.Execute("SET LOCAL app.role = 'owner_admin'", transaction: tx);
            }
            """);

        [Fact]
        public Task Update_set_clause_takes_parameters() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("UPDATE contacts SET name = @name WHERE id = @id", new { name = "x", id = 1 });
            }
            """);

        [Fact]
        public Task Placeholder_text_inside_a_string() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("SET LOCAL app.note = '@not_a_parameter'");
            }
            """);

        [Fact]
        public Task Set_in_a_later_insert_statement_only() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("INSERT INTO t (a) VALUES (@a) ON CONFLICT (a) DO UPDATE SET a = @a", new { a = 1 });
            }
            """);

        [Fact]
        public Task Set_transaction_isolation() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
            }
            """);

        [Fact]
        public Task Efcore_set_config_with_interpolation() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                Task M(AppDb db, string tenant) => db.Database.ExecuteSqlAsync($"SELECT set_config('app.tenant_id', {tenant}, true)");
            }
            """);

        [Fact]
        public Task Tsql_variables_are_not_settings() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn)
                {
                    conn.Execute("SET @Occupation = 'grillmaster'");
                    conn.Execute("set @c = @a + @b; select @c", new { a = 1, b = 2 });
                    conn.Execute("declare @i int; set @I = 1; select @i");
                    conn.Execute("set nocount on create table #t(i int) set nocount off insert #t select @a a union all select @b", new { a = 1, b = 2 });
                }
            }
            """);

        [Fact]
        public Task Sql_in_a_comment() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("-- SET LOCAL app.tenant_id = @t\nSELECT 1");
            }
            """);

        [Fact]
        public Task Function_body_in_dollar_quotes() => Verify.AnalyzerAsync("""
            class C
            {
                void M(IDbConnection conn) => conn.Execute("CREATE FUNCTION f() RETURNS void AS $f$ SET LOCAL x.y = 1 $f$ LANGUAGE sql");
            }
            """);
    }
}
