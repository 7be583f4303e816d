using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.VerifyFix<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer, TenantGuard.CodeFixes.Fixes.ApplyTenantSettingCodeFix>;

namespace TenantGuard.Analyzers.Tests.CodeFixes
{
    public class TG1001_ApplyTenantSettingCodeFixTests
    {
        private static readonly (string, string) Tables = ("tenantguard.tenant_tables", "contacts, todo_items");

        [Fact]
        public Task Inside_an_open_transaction() => Verify.CodeFixAsync(
            """
            class C
            {
                async Task M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await {|TG1001:conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: tx)|};
                    await tx.CommitAsync();
                }
            }
            """,
            """
            class C
            {
                async Task M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenantId.ToString() }, tx);
                    await conn.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: tx);
                    await tx.CommitAsync();
                }
            }
            """, TenantGuard.CodeFixes.Fixes.ApplyTenantSettingCodeFix.EquivalenceKey, Tables);

        [Fact]
        public Task On_a_connection_held_in_a_record() => Verify.CodeFixAsync(
            """
            public sealed record TenantSession(NpgsqlConnection Connection, NpgsqlTransaction Transaction);

            class Sessions(NpgsqlDataSource ds)
            {
                public async Task<TenantSession> BeginAsync()
                {
                    var conn = await ds.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    return new TenantSession(conn, tx);
                }

                async Task M(Guid tenantId)
                {
                    var session = await BeginAsync();
                    await {|TG1001:session.Connection.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: session.Transaction)|};
                    await session.Transaction.CommitAsync();
                }
            }
            """,
            """
            public sealed record TenantSession(NpgsqlConnection Connection, NpgsqlTransaction Transaction);

            class Sessions(NpgsqlDataSource ds)
            {
                public async Task<TenantSession> BeginAsync()
                {
                    var conn = await ds.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    return new TenantSession(conn, tx);
                }

                async Task M(Guid tenantId)
                {
                    var session = await BeginAsync();
                    await session.Connection.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenantId.ToString() }, session.Transaction);
                    await session.Connection.ExecuteAsync("DELETE FROM contacts WHERE id = 1", transaction: session.Transaction);
                    await session.Transaction.CommitAsync();
                }
            }
            """, Tables);

        [Fact]
        public Task Fix_all_opens_transactions_where_none_is_open() => Verify.CodeFixAsync(
            """
            class AppDb : DbContext { }

            class C
            {
                int Count(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    return {|TG1001:conn.ExecuteScalar<int>("SELECT count(*) FROM contacts")|};
                }

                void Purge(string tenant)
                {
                    using var db = new AppDb();
                    {|TG1001:db.Database.ExecuteSqlRaw("DELETE FROM todo_items")|};
                }
            }
            """,
            """
            class AppDb : DbContext { }

            class C
            {
                int Count(NpgsqlDataSource ds, string tenant)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    conn.Execute("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenant }, tx);
                    var result = conn.ExecuteScalar<int>("SELECT count(*) FROM contacts", transaction: tx);
                    tx.Commit();
                    return result;
                }

                void Purge(string tenant)
                {
                    using var db = new AppDb();
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSql($"SELECT set_config('app.tenant_id', {tenant}, true)");
                    db.Database.ExecuteSqlRaw("DELETE FROM todo_items");
                    tx.Commit();
                }
            }
            """, Tables, ("tenantguard.efcore_context", "explicit"));

        [Fact]
        public Task Ef_core_query_after_a_local_setting_without_transaction() => Verify.CodeFixAsync(
            """
            class Contact { public int Id { get; set; } public string TenantId { get; set; } = ""; }

            class AppDb : DbContext { public DbSet<Contact> Contacts => Set<Contact>(); }

            class C
            {
                int Count(string tenant)
                {
                    using var db = new AppDb();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    return {|TG1001:db.Contacts.Count()|};
                }
            }
            """,
            """
            class Contact { public int Id { get; set; } public string TenantId { get; set; } = ""; }

            class AppDb : DbContext { public DbSet<Contact> Contacts => Set<Contact>(); }

            class C
            {
                int Count(string tenant)
                {
                    using var db = new AppDb();
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    var result = db.Contacts.Count();
                    tx.Commit();
                    return result;
                }
            }
            """, Tables, ("tenantguard.efcore_context", "explicit"));

        [Fact]
        public Task No_fix_on_a_foreach_over_a_db_set() => Verify.NoFixAsync("""
            class Contact { public int Id { get; set; } public string TenantId { get; set; } = ""; }

            class AppDb : DbContext { public DbSet<Contact> Contacts => Set<Contact>(); }

            class C
            {
                int Count(string tenant)
                {
                    using var db = new AppDb();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                    var n = 0;
                    foreach (var contact in {|TG1001:db.Contacts|})
                    {
                        n++;
                    }

                    return n;
                }
            }
            """, Tables, ("tenantguard.efcore_context", "explicit"));

        [Fact]
        public Task No_fix_without_a_tenant_value_in_scope() => Verify.NoFixAsync("""
            class C
            {
                void M(NpgsqlDataSource ds)
                {
                    using var conn = ds.OpenConnection();
                    {|TG1001:conn.Execute("DELETE FROM contacts")|};
                }
            }
            """, ("tenantguard.tenant_tables", "contacts"));

        // ---- the file's own API, existing transactions, an earlier setting ----

        [Fact]
        public Task Npgsql_command_in_a_file_without_dapper() => Verify.CodeFixAsync(
            """
            class C
            {
                async Task<object?> M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await using var count = new NpgsqlCommand("SELECT count(*) FROM contacts", conn, tx);
                    var n = await {|TG1001:count.ExecuteScalarAsync()|};
                    await tx.CommitAsync();
                    return n;
                }
            }
            """,
            """
            class C
            {
                async Task<object?> M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await using var count = new NpgsqlCommand("SELECT count(*) FROM contacts", conn, tx);
                    await using var setTenant = new NpgsqlCommand("SELECT set_config('app.tenant_id', @tenant, true)", conn, tx) { Parameters = { new NpgsqlParameter("tenant", tenantId.ToString()) } };
                    await setTenant.ExecuteNonQueryAsync();
                    var n = await count.ExecuteScalarAsync();
                    await tx.CommitAsync();
                    return n;
                }
            }
            """,
            new[] { Tables },
            System.Array.Empty<(string, string)>(),
            Infrastructure.TestReferences.GlobalUsingsWithoutDapper);

        [Fact]
        public Task Reuses_the_transaction_the_document_has_begun() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(NpgsqlDataSource ds, string tenant, bool twice)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    if (twice)
                    {
                        conn.Execute("SELECT 1", transaction: tx);
                    }

                    {|TG1001:conn.Execute("DELETE FROM contacts", transaction: tx)|};
                    tx.Commit();
                }
            }
            """,
            """
            class C
            {
                void M(NpgsqlDataSource ds, string tenant, bool twice)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    if (twice)
                    {
                        conn.Execute("SELECT 1", transaction: tx);
                    }

                    conn.Execute("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenant }, tx);
                    conn.Execute("DELETE FROM contacts", transaction: tx);
                    tx.Commit();
                }
            }
            """, Tables);

        [Fact]
        public Task Setting_that_expired_without_a_transaction_is_wrapped_not_repeated() => Verify.CodeFixAsync(
            """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant });
                    return await {|TG1001:conn.ExecuteAsync("DELETE FROM contacts")|};
                }
            }
            """,
            """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, string tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, transaction: tx);
                    var result = await conn.ExecuteAsync("DELETE FROM contacts", transaction: tx);
                    await tx.CommitAsync();
                    return result;
                }
            }
            """, Tables);

        // ---- settings from the policy catalog ----

        private static readonly (string, string)[] NoOptions = System.Array.Empty<(string, string)>();

        private static (string, string)[] Migration(string sql) => new[] { ("/migrations/001_schema.sql", sql) };

        [Fact]
        public Task Applies_the_setting_the_policy_reads() => Verify.CodeFixAsync(
            """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    var n = await {|TG1001:conn.ExecuteAsync("DELETE FROM invoices WHERE id = 1", transaction: tx)|};
                    await tx.CommitAsync();
                    return n;
                }
            }
            """,
            """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.current_org', @tenant, true)", new { tenant = tenantId.ToString() }, tx);
                    var n = await conn.ExecuteAsync("DELETE FROM invoices WHERE id = 1", transaction: tx);
                    await tx.CommitAsync();
                    return n;
                }
            }
            """,
            NoOptions,
            Migration("ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nCREATE POLICY invoices_org ON invoices USING (org_id = current_setting('app.current_org', true)::uuid);"));

        private const string TenantAndRole = "ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;\nCREATE POLICY invoices_admin ON invoices USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND current_setting('app.role', true) = 'owner_admin');";

        [Fact]
        public Task Applies_every_setting_and_the_literal_the_policy_compares_with() => Verify.CodeFixAsync(
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds, Guid tenantId)
                {
                    using var conn = ds.OpenConnection();
                    return {|TG1001:conn.Query("SELECT * FROM invoices")|};
                }
            }
            """,
            """
            class C
            {
                IEnumerable<dynamic> M(NpgsqlDataSource ds, Guid tenantId)
                {
                    using var conn = ds.OpenConnection();
                    using var tx = conn.BeginTransaction();
                    conn.Execute("SELECT set_config('app.tenant_id', @tenant, true), set_config('app.role', 'owner_admin', true)", new { tenant = tenantId.ToString() }, tx);
                    var result = conn.Query("SELECT * FROM invoices", transaction: tx);
                    tx.Commit();
                    return result;
                }
            }
            """,
            NoOptions,
            Migration(TenantAndRole));

        [Fact]
        public Task Applies_only_the_missing_setting() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenantId)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenantId.ToString() }, tx);
                    {|TG1001:conn.Execute("DELETE FROM invoices WHERE id = 1", transaction: tx)|};
                }
            }
            """,
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, Guid tenantId)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @t, true)", new { t = tenantId.ToString() }, tx);
                    conn.Execute("SELECT set_config('app.role', 'owner_admin', true)", null, tx);
                    conn.Execute("DELETE FROM invoices WHERE id = 1", transaction: tx);
                }
            }
            """,
            NoOptions,
            Migration(TenantAndRole));

        private const string TenantAndUser = "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\nCREATE POLICY notes_owner ON notes USING (tenant_id = current_setting('app.tenant_id', true)::uuid AND owner_id = current_setting('app.user_id', true)::uuid);";

        [Fact]
        public Task Takes_a_value_named_after_the_setting() => Verify.CodeFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenantId, Guid userId)
                {
                    {|TG1001:conn.Execute("DELETE FROM notes WHERE id = 1", transaction: tx)|};
                }
            }
            """,
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenantId, Guid userId)
                {
                    conn.Execute("SELECT set_config('app.tenant_id', @tenant, true), set_config('app.user_id', @user_id, true)", new { tenant = tenantId, user_id = userId.ToString() }, tx);
                    conn.Execute("DELETE FROM notes WHERE id = 1", transaction: tx);
                }
            }
            """,
            new[] { ("tenantguard.assume_context_on_parameters", "false") },
            Migration(TenantAndUser));

        [Fact]
        public Task No_fix_when_a_setting_has_no_value_in_scope() => Verify.NoFixAsync(
            """
            class C
            {
                void M(NpgsqlConnection conn, NpgsqlTransaction tx, string tenantId)
                {
                    {|TG1001:conn.Execute("DELETE FROM notes WHERE id = 1", transaction: tx)|};
                }
            }
            """,
            new[] { ("tenantguard.assume_context_on_parameters", "false") },
            Migration(TenantAndUser));

        [Fact]
        public Task At_the_call_of_a_helper_that_queries_a_tenant_table() => Verify.CodeFixAsync(
            """
            static class ContactStore
            {
                public static Task<int> CountAsync(NpgsqlConnection conn) => conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts");
            }

            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    return await {|TG1001:ContactStore.CountAsync(conn)|};
                }
            }
            """,
            """
            static class ContactStore
            {
                public static Task<int> CountAsync(NpgsqlConnection conn) => conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts");
            }

            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenantId)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenantId.ToString() }, tx);
                    var result = await ContactStore.CountAsync(conn);
                    await tx.CommitAsync();
                    return result;
                }
            }
            """, Tables);
    }
}
