using System;
using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// TG1001 across the project's own methods that receive a connection: a helper that runs tenant-scoped SQL before
    /// any setting of its own is reported at the call where the caller's connection has no setting; a helper that
    /// applies settings applies exactly those, with their scope.
    /// </summary>
    public class TG1001_HelperSummaryTests
    {
        private static readonly (string, string)[] Tables = { ("tenantguard.tenant_tables", "invoices") };

        private const string Store = """
            static class InvoiceStore
            {
                public static Task<int> CountAsync(NpgsqlConnection conn) =>
                    conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices");

                public static async Task<int> CountTwiceAsync(NpgsqlConnection conn) => await CountAsync(conn) + await CountAsync(conn);

                public static async Task<int> CountForAsync(NpgsqlConnection conn, Guid tenant)
                {
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() });
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices");
                }

                public static Task ApplyLocalAsync(NpgsqlConnection conn, Guid tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() });

                public static Task ApplySessionAsync(NpgsqlConnection conn, Guid tenant) =>
                    conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, false)", new { t = tenant.ToString() });

                public static Task<int> CountLaterAsync(NpgsqlConnection conn) =>
                    Task.Run(() => conn.ExecuteScalar<int>("SELECT count(*) FROM invoices"));
            }

            """;

        [Fact]
        public Task A_helper_that_queries_a_tenant_table_is_reported_where_the_connection_has_no_setting() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    return await {|TG1001:InvoiceStore.CountAsync(conn)|};
                }
            }
            """,
            Tables);

        [Fact]
        public Task The_message_names_the_helper_its_sql_and_where_it_runs() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    return await InvoiceStore.CountAsync(conn);
                }
            }
            """,
            Tables,
            Verify.Diagnostic("TG1001").WithSpan(28, 22, 28, 51).WithArguments(
                "InvoiceStore.CountAsync",
                "invoices",
                "the tenant setting",
                "it runs SqlMapper.ExecuteScalarAsync with 'SELECT count(*) FROM invoices' (Test0.cs line 4) on the connection it is given, and no tenant setting is applied on this connection before it"));

        [Fact]
        public Task The_path_through_nested_helpers_is_named() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    return await InvoiceStore.CountTwiceAsync(conn);
                }
            }
            """,
            Tables,
            Verify.Diagnostic("TG1001").WithSpan(28, 22, 28, 56).WithArguments(
                "InvoiceStore.CountTwiceAsync",
                "invoices",
                "the tenant setting",
                "it runs InvoiceStore.CountAsync, which calls SqlMapper.ExecuteScalarAsync with 'SELECT count(*) FROM invoices' (Test0.cs line 4) on the connection it is given, and no tenant setting is applied on this connection before it"));

        [Fact]
        public Task Quiet_when_the_caller_applies_the_setting_or_receives_the_connection() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                async Task<int> Applied(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    return await InvoiceStore.CountAsync(conn);
                }

                Task<int> Received(NpgsqlConnection conn) => InvoiceStore.CountAsync(conn);

                async Task<int> SelfContained(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    return await InvoiceStore.CountForAsync(conn, tenant);
                }

                async Task<int> Deferred(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    return await InvoiceStore.CountLaterAsync(conn);
                }
            }
            """,
            Tables);

        [Fact]
        public Task A_caller_that_receives_the_connection_passes_the_requirement_on_to_its_own_callers() => Verify.AnalyzerAsync(
            Store + """
            class Reports
            {
                public Task<int> Total(NpgsqlConnection conn) => InvoiceStore.CountAsync(conn);
            }

            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Reports reports)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    return await {|TG1001:reports.Total(conn)|};
                }
            }
            """,
            Tables);

        [Fact]
        public Task A_helper_that_applies_the_setting_in_the_callers_transaction_covers_what_follows() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await InvoiceStore.ApplyLocalAsync(conn, tenant);
                    var count = await InvoiceStore.CountAsync(conn);
                    return count + await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices", transaction: tx);
                }
            }
            """,
            Tables);

        [Fact]
        public Task A_transaction_local_setting_applied_by_a_helper_outside_a_transaction_is_lost() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await InvoiceStore.ApplyLocalAsync(conn, tenant);
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices");
                }
            }
            """,
            Tables,
            Verify.Diagnostic("TG1001").WithSpan(29, 22, 29, 83).WithArguments(
                "SqlMapper.ExecuteScalarAsync",
                "invoices",
                "the tenant setting",
                "the earlier transaction-local setting ran with no explicit transaction and ended with its own command"));

        [Fact]
        public Task A_session_setting_applied_by_a_helper_holds_after_the_call() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await InvoiceStore.ApplySessionAsync(conn, tenant);
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices");
                }
            }
            """,
            Tables);

        private const string OrgPolicy = """
            CREATE TABLE invoices (id uuid PRIMARY KEY, org_id uuid NOT NULL, total numeric);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            CREATE POLICY invoices_org ON invoices USING (org_id = current_setting('app.current_org', true)::uuid);
            """;

        [Fact]
        public Task A_helper_that_applies_a_setting_no_policy_reads_does_not_cover_the_table() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await InvoiceStore.ApplySessionAsync(conn, tenant);
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices");
                }
            }
            """,
            Array.Empty<(string, string)>(),
            new[] { ("/migrations/001_schema.sql", OrgPolicy) },
            // The store's own CountForAsync sets the same unread setting.
            Verify.Diagnostic("TG1001").WithSpan(11, 22, 11, 83),
            Verify.Diagnostic("TG1001").WithSpan(29, 22, 29, 83).WithArguments(
                "SqlMapper.ExecuteScalarAsync",
                "invoices",
                "'app.current_org' (read by policy 'invoices_org' on invoices)",
                "no tenant setting is applied on this connection before it"));

        [Fact]
        public Task Dbcontext_helpers_are_summarized_too() => Verify.AnalyzerAsync(
            """
            using Microsoft.EntityFrameworkCore;

            class AppDb : DbContext
            {
            }

            static class Queries
            {
                public static Task<int> Purge(AppDb db) => db.Database.ExecuteSqlRawAsync("DELETE FROM invoices WHERE total = 0");
            }

            class C
            {
                async Task<int> M()
                {
                    await using var db = new AppDb();
                    return await {|TG1001:Queries.Purge(db)|};
                }
            }
            """,
            Tables);

        private const string Transactions = """
            static class Import
            {
                public static async Task RunAsync(NpgsqlConnection conn, Guid tenant)
                {
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    await conn.ExecuteAsync("INSERT INTO invoices (total) VALUES (1)", transaction: tx);
                    await tx.CommitAsync();
                }

                public static async Task<NpgsqlTransaction> BeginForTenantAsync(NpgsqlConnection conn, Guid tenant)
                {
                    var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    return tx;
                }
            }

            """;

        [Fact]
        public Task The_setting_a_helper_applies_in_its_own_transaction_ends_with_it() => Verify.AnalyzerAsync(
            Transactions + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await Import.RunAsync(conn, tenant);
                    return await {|TG1001:conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices")|};
                }
            }
            """,
            Tables);

        [Fact]
        public Task A_helper_that_begins_the_transaction_and_applies_the_setting_covers_it_until_the_commit() => Verify.AnalyzerAsync(
            Transactions + """
            class C
            {
                async Task<int> M(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    var tx = await Import.BeginForTenantAsync(conn, tenant);
                    var count = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices", transaction: tx);
                    await tx.CommitAsync();
                    return count + await {|TG1001:conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices")|};
                }
            }
            """,
            Tables);


        private const string TransactionHelpers = """
            static class TxStore
            {
                // Given only the caller's transaction: its connection is tx.Connection, in that open transaction.
                public static Task<int> CountAsync(NpgsqlTransaction tx) =>
                    tx.Connection!.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices", transaction: tx);

                public static Task ApplyAsync(NpgsqlTransaction tx, Guid tenant) =>
                    tx.Connection!.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
            }

            """;

        [Fact]
        public Task A_helper_given_only_the_transaction_is_read_on_the_transactions_connection() => Verify.AnalyzerAsync(
            TransactionHelpers + """
            class C
            {
                async Task<int> Missing(NpgsqlDataSource ds)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    return await {|TG1001:TxStore.CountAsync(tx)|};
                }

                async Task<int> Applied(NpgsqlDataSource ds, Guid tenant)
                {
                    await using var conn = await ds.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await TxStore.ApplyAsync(tx, tenant);
                    var count = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM invoices", transaction: tx);
                    return count + await TxStore.CountAsync(tx);
                }

                async Task<int> Received(NpgsqlTransaction tx) => await TxStore.CountAsync(tx);
            }
            """,
            Tables);
    }
}
