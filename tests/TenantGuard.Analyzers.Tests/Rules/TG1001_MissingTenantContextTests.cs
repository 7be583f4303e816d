using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1001_MissingTenantContextTests
    {
        private static readonly (string, string) Tables = ("tenantguard.tenant_tables", "contacts, todo_items");

        private static Task Check(string source, params (string, string)[] options) =>
            Verify.AnalyzerAsync(source, options.Append(Tables).ToArray());
        // ---- flagged ----

        [Fact]
        public Task Dapper_query_on_fresh_connection_without_setting() => Check("""
            class C
            {
                async Task M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    var rows = await {|TG1001:conn.QueryAsync<int>("SELECT id FROM contacts WHERE tenant_id = @t", new { t = tenant })|};
                }
            }
            """);

        [Fact]
        public Task Npgsql_command_without_setting() => Check("""
            class C
            {
                async Task<object?> M(string cs)
                {
                    await using var conn = new NpgsqlConnection(cs);
                    await conn.OpenAsync();
                    await using var cmd = new NpgsqlCommand("SELECT count(*) FROM contacts", conn);
                    return await {|TG1001:cmd.ExecuteScalarAsync()|};
                }
            }
            """);

        [Fact]
        public Task Setting_applied_on_another_connection() => Check("""
            class C
            {
                void M(NpgsqlDataSource ds, Guid tenant)
                {
                    using var first = ds.OpenConnection();
                    using var tx = first.BeginTransaction();
                    first.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    using var second = ds.OpenConnection();
                    {|TG1001:second.Execute("DELETE FROM contacts WHERE id = 1")|};
                }
            }
            """);

        [Fact]
        public Task Setting_after_the_query() => Check("""
            class C
            {
                void M(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    var rows = {|TG1001:conn.Query("SELECT * FROM contacts", transaction: tx)|};
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);
                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Setting_on_one_branch_only() => Check("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string? tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    if (tenant is not null)
                    {
                        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);
                    }

                    await {|TG1001:conn.ExecuteAsync("UPDATE contacts SET name = 'x'", transaction: tx)|};
                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Data_source_command_runs_on_its_own_connection() => Check("""
            class C
            {
                async Task M(NpgsqlDataSource ds, NpgsqlConnection conn, string tenant)
                {
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, false)", new { t = tenant });
                    await using var cmd = ds.CreateCommand("SELECT * FROM contacts");
                    await using var reader = await {|TG1001:cmd.ExecuteReaderAsync()|};
                }
            }
            """);

        [Fact]
        public Task Local_setting_without_transaction_has_expired() => Check("""
            class C
            {
                void M(string cs, string tenant)
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Open();
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant });
                    var n = {|TG1001:conn.ExecuteScalar<int>("SELECT count(*) FROM contacts")|};
                }
            }
            """);

        [Fact]
        public Task Query_after_commit() => Check("""
            class C
            {
                void M(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    var tx = conn.BeginTransaction();
                    using (var set = new NpgsqlCommand("SELECT set_config('app.tenant_id', @t, true)", conn, tx))
                    {
                        set.Parameters.AddWithValue("t", tenant);
                        set.ExecuteNonQuery();
                    }

                    tx.Commit();
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = "SELECT * FROM todo_items";
                    cmd.CommandText += " WHERE tenant_id = current_setting('app.tenant_id')::uuid";
                    using var reader = {|TG1001:cmd.ExecuteReader()|};
                }
            }
            """);

        [Fact]
        public Task Batch_with_setting_after_the_query() => Check("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var batch = new NpgsqlBatch(conn)
                    {
                        BatchCommands =
                        {
                            new NpgsqlBatchCommand("SELECT * FROM contacts"),
                            new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', '42', true)"),
                        },
                    };
                    await using var reader = await {|TG1001:batch.ExecuteReaderAsync()|};
                }
            }
            """);

        [Fact]
        public Task Session_setting_lost_when_connection_closed() => Check("""
            class C
            {
                void M(string cs)
                {
                    var conn = new NpgsqlConnection(cs);
                    conn.Open();
                    conn.Execute("SELECT set_config('app.tenant_id', '42', false)");
                    conn.Close();
                    conn.Open();
                    {|TG1001:conn.Execute("INSERT INTO contacts (name) VALUES ('x')")|};
                }
            }
            """);

        [Fact]
        public Task Configured_tenant_table() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    var rows = {|TG1001:conn.Query("SELECT * FROM invoices")|};
                }
            }
            """, ("tenantguard.tenant_tables", "invoices, payments"));

        [Fact]
        public Task Table_learned_from_migrations() => Verify.AnalyzerAsync(
            """
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    var rows = {|TG1001:conn.Query("SELECT * FROM orders")|};
                }
            }
            """,
            new[] { ("tenantguard.tenant_columns", "") },
            new[] { ("/migrations/001_rls.sql", "CREATE TABLE orders (id int, owner uuid);\nALTER TABLE orders ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON orders USING (owner = current_setting('app.owner', true)::uuid);") });

        [Fact]
        public Task Parameter_connection_when_assumption_is_off() => Check("""
            class C
            {
                Task<int> M(NpgsqlConnection conn) => {|TG1001:conn.ExecuteAsync("DELETE FROM contacts")|};
            }
            """, ("tenantguard.assume_context_on_parameters", "false"));

        [Fact]
        public Task Efcore_raw_sql_in_explicit_mode() => Check("""
            class AppDb : DbContext { }

            class C
            {
                int M()
                {
                    using var db = new AppDb();
                    return {|TG1001:db.Database.ExecuteSqlRaw("UPDATE contacts SET name = 'x'")|};
                }
            }
            """, ("tenantguard.efcore_context", "explicit"));

        [Fact]
        public Task Efcore_setting_without_transaction_in_explicit_mode() => Check("""
            class AppDb : DbContext { }

            class C
            {
                async Task M(string tenant)
                {
                    await using var db = new AppDb();
                    await db.Database.ExecuteSqlAsync($"SELECT set_config('app.tenant_id', {tenant}, true)");
                    await {|TG1001:db.Database.ExecuteSqlAsync($"DELETE FROM todo_items WHERE tenant_id = {Guid.Empty}")|};
                }
            }
            """, ("tenantguard.efcore_context", "explicit"));

        [Fact]
        public Task Efcore_raw_sql_is_checked_by_default_without_a_tenant_interceptor() => Check("""
            class AppDb : DbContext { }

            class C
            {
                int M()
                {
                    using var db = new AppDb();
                    return {|TG1001:db.Database.ExecuteSqlRaw("UPDATE contacts SET name = 'x'")|};
                }
            }
            """);

        [Fact]
        public Task Efcore_raw_sql_is_left_to_a_tenant_interceptor_by_default() => Check("""
            using Microsoft.EntityFrameworkCore.Diagnostics;

            class TenantInterceptor : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT set_config('app.tenant_id', 'x', false)";
                    command.ExecuteNonQuery();
                }
            }

            class AppDb : DbContext { }

            class C
            {
                int M()
                {
                    using var db = new AppDb();
                    return db.Database.ExecuteSqlRaw("UPDATE contacts SET name = 'x'");
                }
            }
            """);

        [Fact]
        public Task Efcore_raw_sql_is_left_to_a_tenant_interceptor_that_applies_the_setting_through_a_helper_class() => Check("""
            using Microsoft.EntityFrameworkCore.Diagnostics;

            static class TenantSql
            {
                public static void Apply(DbConnection connection, string tenant)
                {
                    using var command = connection.CreateCommand();
                    Prepare(command, tenant);
                    command.ExecuteNonQuery();
                }

                private static void Prepare(DbCommand command, string tenant)
                {
                    command.CommandText = "SELECT set_config('app.tenant_id', @tenant, false)";
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "tenant";
                    parameter.Value = tenant;
                    command.Parameters.Add(parameter);
                }
            }

            class TenantInterceptor(Func<string> tenant) : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => TenantSql.Apply(connection, tenant());
            }

            class AppDb : DbContext { }

            class C
            {
                int M()
                {
                    using var db = new AppDb();
                    return db.Database.ExecuteSqlRaw("UPDATE contacts SET name = 'x'");
                }
            }
            """);

        [Fact]
        public Task Efcore_raw_sql_is_checked_when_the_interceptors_helpers_apply_no_setting() => Check("""
            using Microsoft.EntityFrameworkCore.Diagnostics;

            static class Audit
            {
                public static void Log(DbConnection connection) => Console.WriteLine(connection.Database);
            }

            class LoggingInterceptor : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Audit.Log(connection);
            }

            class AppDb : DbContext { }

            class C
            {
                int M()
                {
                    using var db = new AppDb();
                    return {|TG1001:db.Database.ExecuteSqlRaw("UPDATE contacts SET name = 'x'")|};
                }
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Golden_pattern_with_dapper() => Check("""
            class C
            {
                async Task M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    await conn.ExecuteAsync("INSERT INTO contacts (tenant_id, name) VALUES (@t, 'x')", new { t = tenant }, tx);
                    await tx.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Golden_pattern_with_commands_and_implicit_enlistment() => Check("""
            class C
            {
                async Task<long> M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await using (var set = new NpgsqlCommand("SELECT set_config('app.tenant_id', @t, true)", conn))
                    {
                        set.Parameters.AddWithValue("t", tenant);
                        await set.ExecuteNonQueryAsync();
                    }

                    await using var cmd = conn.CreateCommand();
                    cmd.CommandText = "SELECT count(*) FROM contacts";
                    var count = (long)(await cmd.ExecuteScalarAsync())!;
                    await tx.CommitAsync();
                    return count;
                }
            }
            """);

        [Fact]
        public Task Setting_earlier_in_the_same_command_text() => Check("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    const string sql = "SELECT set_config('app.tenant_id', @t, true); SELECT * FROM contacts;";
                    var rows = await conn.QueryAsync(sql, new { t = tenant });
                }
            }
            """);

        [Fact]
        public Task Batch_with_setting_first() => Check("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    await using var batch = ds.CreateBatch();
                    var set = new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', @t, true)");
                    set.Parameters.AddWithValue("t", tenant);
                    batch.BatchCommands.Add(set);
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT * FROM contacts"));
                    await using var reader = await batch.ExecuteReaderAsync();
                }
            }
            """);

        [Fact]
        public Task Connection_received_as_parameter_carries_context() => Check("""
            class C
            {
                Task<IEnumerable<int>> M(NpgsqlConnection conn, NpgsqlTransaction tx) =>
                    conn.QueryAsync<int>("SELECT id FROM contacts", transaction: tx);
            }
            """);

        [Fact]
        public Task Field_connection_carries_context() => Check("""
            class C
            {
                private readonly IDbConnection _db;
                C(IDbConnection db) => _db = db;
                int Count() => _db.ExecuteScalar<int>("SELECT count(*) FROM contacts");
            }
            """);

        [Fact]
        public Task With_tenant_wrapper_lambda_parameters_carry_context() => Check("""
            class C
            {
                static async Task WithTenant(NpgsqlDataSource ds, string tenant, Func<NpgsqlConnection, NpgsqlTransaction, Task> work)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);
                    await work(conn, tx);
                    await tx.CommitAsync();
                }

                Task M(NpgsqlDataSource ds) =>
                    WithTenant(ds, "t1", (conn, tx) => conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: tx));
            }
            """);

        [Fact]
        public Task Sql_without_tenant_tables_or_columns() => Check("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    conn.Execute("SELECT now()");
                    var plans = conn.Query("SELECT id, name FROM plans WHERE price > @p -- contacts", new { p = 1 });
                    using var cmd = ds.CreateCommand("SELECT 'tenant_id', version()");
                    cmd.ExecuteScalar();
                }
            }
            """);

        [Fact]
        public Task Efcore_in_interceptor_mode_is_not_checked() => Check("""
            class AppDb : DbContext { }

            class C
            {
                int M(AppDb db) => db.Database.ExecuteSqlRaw("UPDATE contacts SET name = 'x'");
            }
            """);

        [Fact]
        public Task Efcore_explicit_mode_with_transaction() => Check("""
            class AppDb : DbContext { }

            class C
            {
                async Task M(AppDb db, string tenant)
                {
                    await using var tx = await db.Database.BeginTransactionAsync();
                    await db.Database.ExecuteSqlAsync($"SELECT set_config('app.tenant_id', {tenant}, true)");
                    await db.Database.ExecuteSqlAsync($"DELETE FROM todo_items WHERE id = {1}");
                    await tx.CommitAsync();
                }
            }
            """, ("tenantguard.efcore_context", "explicit"));

        [Fact]
        public Task Sql_not_known_at_compile_time() => Check("""
            class C
            {
                void M(NpgsqlDataSource ds, string sql)
                {
                    using var conn = ds.OpenConnection();
                    conn.Execute(sql);
                }
            }
            """);

        [Fact]
        public Task Setting_on_every_branch_and_before_a_loop() => Check("""
            class C
            {
                void M(NpgsqlDataSource ds, string? tenant, int[] ids)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    if (tenant is null)
                        conn.Execute("SET LOCAL app.tenant_id = '00000000-0000-0000-0000-000000000000'", transaction: tx);
                    else
                        conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);

                    foreach (var id in ids)
                    {
                        conn.Execute("UPDATE contacts SET seen = true WHERE id = @id", new { id }, tx);
                    }

                    tx.Commit();
                }
            }
            """);

        [Fact]
        public Task Connection_handed_to_an_application_helper_may_get_the_setting_there() => Check("""
            static class Tenancy
            {
                public static Task ApplyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);

                public static void Apply(this AppDb db, string tenant) =>
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenant);
            }

            class AppDb : DbContext { }

            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await Tenancy.ApplyAsync(conn, tx, tenant);
                    await conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: tx);
                    await tx.CommitAsync();
                }

                void E(string tenant)
                {
                    using var db = new AppDb();
                    db.Apply(tenant);
                    db.Database.ExecuteSqlRaw("DELETE FROM contacts");
                }
            }
            """, ("tenantguard.efcore_context", "explicit"));

        [Fact]
        public Task Setting_inside_an_ambient_transaction_scope() => Check("""
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, string tenant)
                {
                    using var scope = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled);
                    await using var conn = await ds.OpenConnectionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant });
                    var n = await conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1");
                    scope.Complete();
                    return n;
                }
            }
            """);

        [Fact]
        public Task Sql_kept_in_static_readonly_fields() => Check("""
            static class Sql
            {
                public static readonly string SetTenant = "SELECT set_config('app.tenant_id', @t, true)";
                public static readonly string Purge = @"DELETE FROM contacts";
            }

            class C
            {
                async Task Good(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync(Sql.SetTenant, new { t = tenant }, tx);
                    await conn.ExecuteAsync(Sql.Purge, transaction: tx);
                    await tx.CommitAsync();
                }

                async Task Bad(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await {|TG1001:conn.ExecuteAsync(Sql.Purge)|};
                }
            }
            """);

        [Fact]
        public Task Framework_methods_do_not_count_as_helpers() => Check("""
            class C
            {
                void M(NpgsqlDataSource ds, ILogger log)
                {
                    using var conn = ds.OpenConnection();
                    log.LogInformation("using {Conn}", conn);
                    GC.KeepAlive(conn);
                    {|TG1001:conn.Execute("DELETE FROM contacts")|};
                }
            }
            """);

        [Fact]
        public Task Empty_tenant_columns_option_turns_column_matching_off() => Check("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    conn.Execute("SELECT tenant_id FROM tenant_members");
                }
            }
            """, ("tenantguard.tenant_columns", ""));
    }
}
