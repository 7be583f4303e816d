using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.LocalSettingWithoutTransactionAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    public class TG1007_LocalSettingWithoutTransactionTests
    {
        // ---- flagged ----

        [Fact]
        public Task Dapper_set_config_on_fresh_connection() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await {|TG1007:conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant })|};
                    await conn.QueryAsync("SELECT * FROM contacts");
                }
            }
            """);

        [Fact]
        public Task Set_local_on_fresh_connection() => Verify.AnalyzerAsync("""
            class C
            {
                void M(string cs)
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Open();
                    using var cmd = new NpgsqlCommand("SET LOCAL app.role = 'owner_admin'", conn);
                    {|TG1007:cmd.ExecuteNonQuery()|};
                }
            }
            """);

        [Fact]
        public Task Data_source_command() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    await using var cmd = ds.CreateCommand("SELECT set_config('app.tenant_id', @t, true)");
                    cmd.Parameters.AddWithValue("t", tenant);
                    await {|TG1007:cmd.ExecuteNonQueryAsync()|};
                }
            }
            """);

        [Fact]
        public Task Only_settings_in_the_text() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    {|TG1007:conn.Execute("SET LOCAL app.role = 'owner_admin'; SELECT set_config('app.tenant_id', @t, true);", new { t = tenant })|};
                }
            }
            """);

        [Fact]
        public Task After_commit() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    var tx = conn.BeginTransaction();
                    conn.Execute("UPDATE t SET a = 1", transaction: tx);
                    tx.Commit();
                    {|TG1007:conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant })|};
                }
            }
            """);

        [Fact]
        public Task Efcore_without_transaction() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void M(string tenant)
                {
                    using var db = new AppDb();
                    {|TG1007:db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant)|};
                }
            }
            """);

        [Fact]
        public Task Efcore_contexts_the_method_receives_are_the_callers() => Verify.AnalyzerAsync("""
            class AppDb : DbContext
            {
                public void SetTenant(string tenant) => Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
            }

            class Service(AppDb db)
            {
                private readonly AppDb _db = db;

                public Task SetAsync(string tenant) => _db.Database.ExecuteSqlAsync($"SELECT set_config('app.tenant_id', {tenant}, true)");

                public void Set(AppDb other, string tenant)
                {
                    other.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    Apply();

                    void Apply() => db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                }
            }
            """);

        [Fact]
        public Task Batch_with_only_the_setting() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    await using var batch = ds.CreateBatch();
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', '1', true)"));
                    await {|TG1007:batch.ExecuteNonQueryAsync()|};
                }
            }
            """);

        [Fact]
        public Task Any_setting_name_counts() => Verify.AnalyzerAsync("""
            class C
            {
                void M(string cs)
                {
                    using var conn = new NpgsqlConnection(cs);
                    {|TG1007:conn.Execute("SELECT set_config('statement_timeout', '5s', 'true')")|};
                }
            }
            """);

        [Fact]
        public Task After_connection_closed() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    var tx = conn.BeginTransaction();
                    conn.Close();
                    conn.Open();
                    {|TG1007:conn.Execute("SET LOCAL app.tenant_id = '1'")|};
                }
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Inside_a_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant }, tx);
                }
            }
            """);

        [Fact]
        public Task Followed_by_work_in_the_same_text() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true); DELETE FROM contacts WHERE id = 1", new { t = tenant });
                }
            }
            """);

        [Fact]
        public Task Followed_by_work_in_the_same_batch() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds)
                {
                    await using var batch = ds.CreateBatch();
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', '1', true)"));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT * FROM contacts"));
                    await batch.ExecuteNonQueryAsync();
                }
            }
            """);

        [Fact]
        public Task Received_connection_may_be_in_a_transaction() => Verify.AnalyzerAsync("""
            class C
            {
                Task M(NpgsqlConnection conn, string tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant });
            }
            """);

        [Fact]
        public Task Session_setting_is_another_rule() => Verify.AnalyzerAsync("""
            class C
            {
                void M(string cs)
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Execute("SELECT set_config('app.tenant_id', '1', false)");
                }
            }
            """);

        [Fact]
        public Task Transaction_begun_in_sql_text() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    conn.Execute("BEGIN; SET LOCAL app.tenant_id = '1'");
                    conn.Execute("SELECT * FROM contacts; COMMIT");
                }
            }
            """);

        [Fact]
        public Task Transaction_on_some_paths_only_is_not_reported() => Verify.AnalyzerAsync("""
            class C
            {
                void M(NpgsqlDataSource ds, bool tx)
                {
                    using var conn = ds.OpenConnection();
                    if (tx) conn.BeginTransaction();
                    conn.Execute("SET LOCAL app.tenant_id = '1'");
                }
            }
            """);

        [Fact]
        public Task Efcore_current_transaction_checks() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void Begins_where_there_is_none(string tenant)
                {
                    using var db = new AppDb();
                    if (db.Database.CurrentTransaction is null)
                    {
                        db.Database.BeginTransaction();
                    }

                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                }

                void Only_inside_one(string tenant)
                {
                    using var db = new AppDb();
                    if (db.Database.CurrentTransaction != null)
                    {
                        db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    }
                }

                void Outside_one(AppDb received, string tenant)
                {
                    if (!(received.Database.CurrentTransaction is { } tx))
                    {
                        {|TG1007:received.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant)|};
                    }
                }

                void Joins_one(NpgsqlConnection conn, string tenant)
                {
                    using var db = new AppDb();
                    var tx = conn.BeginTransaction();
                    db.Database.UseTransaction(tx);
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                }
            }
            """);

        [Fact]
        public Task Local_functions_start_as_their_calls_leave_the_context() => Verify.AnalyzerAsync("""
            class AppDb : DbContext { }

            class C
            {
                void Called_inside_a_transaction(string tenant)
                {
                    using var db = new AppDb();
                    using var tx = db.Database.BeginTransaction();
                    Apply();
                    tx.Commit();

                    void Apply() => db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                }

                void Called_outside_one(string tenant)
                {
                    using var db = new AppDb();
                    Apply();

                    void Apply() => {|TG1007:db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant)|};
                }

                void Called_both_ways(string tenant, bool wrap)
                {
                    using var db = new AppDb();
                    Apply();
                    using var tx = db.Database.BeginTransaction();
                    Apply();

                    void Apply() => db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                }

                Action Used_as_a_delegate(string tenant)
                {
                    var db = new AppDb();
                    return Apply;

                    void Apply() => db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                }
            }
            """);

        [Fact]
        public Task Efcore_inside_transaction() => Verify.AnalyzerAsync("""
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
        public Task Ambient_transaction_scope() => Verify.AnalyzerAsync("""
            class C
            {
                async Task M(NpgsqlDataSource ds, string tenant)
                {
                    using var scope = new System.Transactions.TransactionScope(System.Transactions.TransactionScopeAsyncFlowOption.Enabled);
                    await using var conn = await ds.OpenConnectionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant });
                    scope.Complete();
                }
            }
            """);

        [Fact]
        public Task Unknown_scope() => Verify.AnalyzerAsync("""
            class C
            {
                void M(string cs, bool local)
                {
                    using var conn = new NpgsqlConnection(cs);
                    conn.Execute("SELECT set_config('app.tenant_id', '1', @local)", new { local });
                }
            }
            """);
    }
}
