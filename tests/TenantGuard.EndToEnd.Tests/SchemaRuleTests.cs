using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Dapper;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Npgsql;
using TenantGuard.Analyzers.Registry;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// The schema rules (TG2001–TG2004) on a live server: each migration of samples/AntiPatterns/schema/bad, run as the
/// migrations' owner, lets a tenant see another tenant's rows (or none of its own), and TenantGuard flags it with exactly
/// its rule; fixed/invoices.sql shows each tenant exactly its own rows and is not flagged (docs/postgres-behaviour.md rows
/// 17 to 20).
/// </summary>
[Collection(EndToEndCollection.Name)]
public class SchemaRuleTests(EndToEndDatabase db, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Acme = "00000000-0000-0000-0000-00000000a01e";
    private const string Globex = "00000000-0000-0000-0000-0000000610be";

    private static readonly SemaphoreSlim RolesLock = new(1, 1);
    private static bool _roles;

    private static string SchemaDirectory() => Path.Combine(AnalyzerRun.SamplesDirectory(), "schema");

    /// <summary>A fresh database with the migration applied by schema_owner, and two tenants' invoices (acme 2, globex 1, as uuids) seeded by the superuser.</summary>
    private async Task<string> MigrateAsync(string name, string migration, string migrator = "schema_owner")
    {
        await RolesLock.WaitAsync();
        try
        {
            if (!_roles)
            {
                await db.Server.ExecuteAsync("""
                    DO $r$ BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'schema_owner') THEN CREATE ROLE schema_owner LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'schema_app') THEN CREATE ROLE schema_app LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'schema_migrator') THEN CREATE ROLE schema_migrator LOGIN NOSUPERUSER BYPASSRLS; END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'schema_bypass_app') THEN CREATE ROLE schema_bypass_app LOGIN NOSUPERUSER BYPASSRLS; END IF;
                        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'schema_stranger') THEN CREATE ROLE schema_stranger LOGIN NOSUPERUSER NOBYPASSRLS; END IF;
                    END $r$;
                    """);
                _roles = true;
            }
        }
        finally
        {
            RolesLock.Release();
        }

        var database = name + "_" + Guid.NewGuid().ToString("N")[..6];
        await db.Server.ExecuteAsync($"CREATE DATABASE {database} OWNER {migrator}");
        await using (var owner = new NpgsqlConnection(db.Server.ConnectionString(database, migrator, pooling: false)))
        {
            await owner.OpenAsync();
            await owner.ExecuteAsync(migration);
        }

        // The superuser bypasses row-level security: the seed lands whatever the policies say.
        await db.Server.ExecuteAsync($"INSERT INTO invoices (tenant_id, total) VALUES ('{Acme}', 10), ('{Acme}', 20), ('{Globex}', 30)", database);
        return database;
    }

    /// <summary>How many invoices a role sees with app.tenant_id set to a tenant, in one transaction.</summary>
    private async Task<long> CountAsync(string database, string role, string tenant, string relation = "invoices")
    {
        await using var conn = new NpgsqlConnection(db.Server.ConnectionString(database, role, pooling: false));
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant }, tx);
        var count = await conn.ExecuteScalarAsync<long>($"SELECT count(*) FROM {relation}", transaction: tx);
        await tx.CommitAsync();
        return count;
    }

    private static string Read(string folder, string rule) => File.ReadAllText(Path.Combine(SchemaDirectory(), folder, rule + ".sql"));

    /// <summary>The schema every bad migration should have built: row-level security enabled and forced, one tenant policy.</summary>
    private static string Fixed() => Read("fixed", "invoices");

    [Fact]
    public async Task TG2001_a_tenant_table_without_rls_shows_every_tenant_its_neighbours_rows_row_17()
    {
        const string rule = "TG2001_TableWithoutRls";
        var bad = await MigrateAsync("tg2001_bad", Read("bad", rule));
        Assert.Equal(3, await CountAsync(bad, "schema_app", Acme));      // acme sees globex's invoice too
        var fixedDatabase = await MigrateAsync("tg2001_fixed", Fixed());
        Assert.Equal(2, await CountAsync(fixedDatabase, "schema_app", Acme));
        Assert.Equal(1, await CountAsync(fixedDatabase, "schema_app", Globex));
        await AssertFlagged(rule, "TG2001");
    }

    [Fact]
    public async Task TG2002_without_force_the_owner_bypasses_the_policy_row_18()
    {
        const string rule = "TG2002_RlsNotForced";
        var bad = await MigrateAsync("tg2002_bad", Read("bad", rule));
        Assert.Equal(2, await CountAsync(bad, "schema_app", Acme));      // the policy works for other roles
        Assert.Equal(3, await CountAsync(bad, "schema_owner", Acme));    // the owner sees every tenant's rows
        var fixedDatabase = await MigrateAsync("tg2002_fixed", Fixed());
        Assert.Equal(2, await CountAsync(fixedDatabase, "schema_owner", Acme));
        await AssertFlagged(rule, "TG2002");
    }

    [Fact]
    public async Task TG2003_a_permissive_policy_that_is_always_true_opens_the_table_row_19()
    {
        const string rule = "TG2003_NonIsolatingPolicy";
        var bad = await MigrateAsync("tg2003_bad", Read("bad", rule));
        Assert.Equal(3, await CountAsync(bad, "schema_app", Acme));      // permissive policies are OR-ed
        var fixedDatabase = await MigrateAsync("tg2003_fixed", Fixed());
        Assert.Equal(2, await CountAsync(fixedDatabase, "schema_app", Acme));
        await AssertFlagged(rule, "TG2003");
    }

    [Fact]
    public async Task TG2004_policies_without_rls_do_nothing_and_rls_without_policy_denies_everything_row_20()
    {
        const string rule = "TG2004_RlsPolicyMismatch";
        var bad = await MigrateAsync("tg2004_bad", Read("bad", rule));
        Assert.Equal(3, await CountAsync(bad, "schema_app", Acme));      // the policy is ignored
        var fixedDatabase = await MigrateAsync("tg2004_fixed", Fixed());
        Assert.Equal(2, await CountAsync(fixedDatabase, "schema_app", Acme));
        await AssertFlagged(rule, "TG2004");

        // The other half of the rule: row-level security with no policy denies every row and every write.
        const string denyAll = """
            CREATE TABLE invoices (id serial PRIMARY KEY, tenant_id text NOT NULL, total numeric NOT NULL);
            ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
            ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
            GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO schema_app;
            GRANT USAGE ON SEQUENCE invoices_id_seq TO schema_app;
            """;
        var deny = await MigrateAsync("tg2004_deny", denyAll);
        Assert.Equal(0, await CountAsync(deny, "schema_app", Acme));
        await using var app = new NpgsqlConnection(db.Server.ConnectionString(deny, "schema_app", pooling: false));
        await app.OpenAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => app.ExecuteAsync($"INSERT INTO invoices (tenant_id, total) VALUES ('{Acme}', 1)"));
        Assert.Equal("42501", error.SqlState);                              // new row violates row-level security policy
        var diagnostics = await DiagnosticsAsync(("deny.sql", denyAll));
        var info = Assert.Single(diagnostics);
        Assert.Equal(("TG2004", DiagnosticSeverity.Info), (info.Id, info.Severity));
    }

    [Fact]
    public async Task TG2005_a_setting_read_without_missing_ok_or_nullif_fails_the_query_row_21()
    {
        const string rule = "TG2005_UnsafeSettingRead";
        var bad = await MigrateAsync("tg2005_bad", Read("bad", rule));
        await using (var fresh = new NpgsqlConnection(db.Server.ConnectionString(bad, "schema_app", pooling: false)))
        {
            await fresh.OpenAsync();
            var never = await Assert.ThrowsAsync<PostgresException>(() => fresh.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices"));
            Assert.Equal("42704", never.SqlState);                             // unrecognized configuration parameter

            // The same connection once it has set the tenant in an earlier transaction: the value is now ''.
            await using (var tx = await fresh.BeginTransactionAsync())
            {
                await fresh.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = Acme }, tx);
                Assert.Equal(2, await fresh.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices", transaction: tx));
                await tx.CommitAsync();
            }

            Assert.Equal(string.Empty, await fresh.ExecuteScalarAsync<string>("SELECT current_setting('app.tenant_id')"));
            var empty = await Assert.ThrowsAsync<PostgresException>(() => fresh.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices"));
            Assert.Equal("22P02", empty.SqlState);                             // invalid input syntax for type uuid: ""
        }

        var fixedDatabase = await MigrateAsync("tg2005_fixed", Fixed());
        await using (var fresh = new NpgsqlConnection(db.Server.ConnectionString(fixedDatabase, "schema_app", pooling: false)))
        {
            await fresh.OpenAsync();
            Assert.Equal(0, await fresh.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices"));      // never set: no rows, no error
            await using (var tx = await fresh.BeginTransactionAsync())
            {
                await fresh.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = Acme }, tx);
                Assert.Equal(2, await fresh.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices", transaction: tx));
                await tx.CommitAsync();
            }

            Assert.Equal(0, await fresh.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices"));      // '' after the transaction: no rows, no error
        }

        await AssertFlagged(rule, "TG2005");
    }

    [Fact]
    public async Task TG2008_a_view_without_security_invoker_reads_with_its_owners_rights_row_22()
    {
        const string rule = "TG2008_ViewBypassesRls";
        var bad = await MigrateAsync("tg2008_bad", Read("bad", rule), migrator: "schema_migrator");
        Assert.Equal(2, await CountAsync(bad, "schema_app", Acme));                                             // the table itself isolates
        Assert.Equal(3, await CountAsync(bad, "schema_app", Acme, "invoice_list"));                             // the view does not
        var fixedMigration = Fixed() + Read("fixed", "invoice_list");
        var fixedDatabase = await MigrateAsync("tg2008_fixed", fixedMigration, migrator: "schema_migrator");
        Assert.Equal(2, await CountAsync(fixedDatabase, "schema_app", Acme, "invoice_list"));
        await AssertFlagged(rule, "TG2008", fixedMigration);
    }

    [Fact]
    public async Task TG2008_a_materialized_view_shows_every_tenant_the_rows_its_owners_refresh_saw_row_27()
    {
        const string rule = "TG2008_MaterializedView";
        async Task RefreshAsync(string database)
        {
            // The seed lands after the migration: the owner refreshes, as a scheduled refresh would.
            await using var owner = new NpgsqlConnection(db.Server.ConnectionString(database, "schema_migrator", pooling: false));
            await owner.OpenAsync();
            await owner.ExecuteAsync("REFRESH MATERIALIZED VIEW invoice_archive");
        }

        var bad = await MigrateAsync("tg2008m_bad", Read("bad", rule), migrator: "schema_migrator");
        await RefreshAsync(bad);
        Assert.Equal(2, await CountAsync(bad, "schema_app", Acme));                                              // the table isolates
        Assert.Equal(3, await CountAsync(bad, "schema_app", Acme, "invoice_archive"));                           // the materialized view does not

        // Neither of the fixes for a plain view exists for a materialized view.
        await using (var owner = new NpgsqlConnection(db.Server.ConnectionString(bad, "schema_migrator", pooling: false)))
        {
            await owner.OpenAsync();
            var invoker = await Assert.ThrowsAsync<PostgresException>(() => owner.ExecuteAsync("CREATE MATERIALIZED VIEW invoice_archive_2 WITH (security_invoker = true) AS SELECT id FROM invoices"));
            Assert.Equal("22023", invoker.SqlState);                                                             // unrecognized parameter "security_invoker"
            var rls = await Assert.ThrowsAsync<PostgresException>(() => owner.ExecuteAsync("ALTER TABLE invoice_archive ENABLE ROW LEVEL SECURITY"));
            Assert.Equal("42809", rls.SqlState);                                                                 // not supported for materialized views
        }

        var fixedMigration = Fixed() + Read("fixed", "invoice_archive");
        var fixedDatabase = await MigrateAsync("tg2008m_fixed", fixedMigration, migrator: "schema_migrator");
        await RefreshAsync(fixedDatabase);
        Assert.Equal(2, await CountAsync(fixedDatabase, "schema_app", Acme, "my_invoice_archive"));
        Assert.Equal(1, await CountAsync(fixedDatabase, "schema_app", Globex, "my_invoice_archive"));
        var denied = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(fixedDatabase, "schema_app", Acme, "invoice_archive"));
        Assert.Equal("42501", denied.SqlState);                                                                  // the application cannot read it directly
        await AssertFlagged(rule, "TG2008", fixedMigration);
    }

    [Fact]
    public async Task TG2007_a_foreign_key_without_the_tenant_column_accepts_another_tenants_row_row_23()
    {
        const string rule = "TG2007_ForeignKeyAcrossTenants";
        var acmeContact = Guid.NewGuid();

        async Task<Exception?> AttachAsync(string database)
        {
            await db.Server.ExecuteAsync($"INSERT INTO contacts (id, tenant_id, name) VALUES ('{acmeContact}', '{Acme}', 'Ada')", database);
            await using var conn = new NpgsqlConnection(db.Server.ConnectionString(database, "schema_app", pooling: false));
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = Globex }, tx);
            Assert.Equal(0, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts WHERE id = @acmeContact", new { acmeContact }, tx));   // invisible to globex
            try
            {
                await conn.ExecuteAsync("INSERT INTO invoices (tenant_id, contact_id, total) VALUES (@tenant::uuid, @acmeContact, 1)", new { tenant = Globex, acmeContact }, tx);
                await tx.CommitAsync();
                return null;
            }
            catch (PostgresException error)
            {
                return error;
            }
        }

        var bad = await MigrateAsync("tg2007_bad", Read("bad", rule));
        Assert.Null(await AttachAsync(bad));                                    // accepted: globex's invoice now points at acme's contact
        var fixedMigration = Read("fixed", "invoices_with_contacts");
        var fixedDatabase = await MigrateAsync("tg2007_fixed", fixedMigration);
        var refused = Assert.IsType<PostgresException>(await AttachAsync(fixedDatabase));
        Assert.Equal("23503", refused.SqlState);                               // foreign key violation
        await AssertFlagged(rule, "TG2007", fixedMigration);
    }

    [Fact]
    public async Task TG2009_a_bypassrls_application_role_and_a_grant_to_public_open_every_tenant_row_24()
    {
        const string rule = "TG2009_PrivilegedAccess";

        // An application role with BYPASSRLS ignores the policy, whatever tenant it sets.
        var isolated = await MigrateAsync("tg2009_role", Fixed() + "GRANT SELECT ON invoices TO schema_bypass_app;");
        Assert.Equal(2, await CountAsync(isolated, "schema_app", Acme));
        Assert.Equal(3, await CountAsync(isolated, "schema_bypass_app", Acme));

        // A role nobody granted anything reads the table through PUBLIC, as any tenant it chooses.
        var bad = await MigrateAsync("tg2009_bad", Read("bad", rule));
        Assert.Equal(1, await CountAsync(bad, "schema_stranger", Globex));
        var fixedDatabase = await MigrateAsync("tg2009_fixed", Fixed());
        var denied = await Assert.ThrowsAsync<PostgresException>(() => CountAsync(fixedDatabase, "schema_stranger", Globex));
        Assert.Equal("42501", denied.SqlState);                                // permission denied for table invoices
        await AssertFlagged(rule, "TG2009");
    }

    [Fact]
    public async Task TG2010_without_an_index_on_the_tenant_column_the_policy_filters_a_full_scan_row_25()
    {
        const string rule = "TG2010_TenantColumnNotIndexed";

        async Task<string> PlanAsync(string database)
        {
            // 50,000 invoices over 50 tenants, as the superuser (row-level security does not apply to it).
            await db.Server.ExecuteAsync("""
                INSERT INTO invoices (tenant_id, total)
                SELECT ('00000000-0000-0000-0000-' || lpad((n % 50)::text, 12, '0'))::uuid, n FROM generate_series(1, 50000) AS n;
                ANALYZE invoices;
                """, database);
            await using var conn = new NpgsqlConnection(db.Server.ConnectionString(database, "schema_app", pooling: false));
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = "00000000-0000-0000-0000-000000000007" }, tx);
            var plan = string.Join("\n", await conn.QueryAsync<string>("EXPLAIN SELECT count(*) FROM invoices", transaction: tx));
            Assert.Equal(1000, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices", transaction: tx));
            return plan;
        }

        var bad = await MigrateAsync("tg2010_bad", Read("bad", rule));
        var badPlan = await PlanAsync(bad);
        Assert.Contains("Seq Scan on invoices", badPlan);                      // every tenant's 50,000 rows read and filtered
        var fixedDatabase = await MigrateAsync("tg2010_fixed", Fixed());
        var fixedPlan = await PlanAsync(fixedDatabase);
        Assert.DoesNotContain("Seq Scan on invoices", fixedPlan);
        Assert.Contains("invoices_tenant_id_idx", fixedPlan);                  // the policy's condition is an index condition
        await AssertFlagged(rule, "TG2010");
    }

    [Fact]
    public async Task TG2006_a_setting_read_outside_a_subquery_is_evaluated_per_row_row_26()
    {
        const string rule = "TG2006_SettingReadPerRow";

        async Task<(string Plan, double Milliseconds)> MeasureAsync(string database)
        {
            // 200,000 invoices over 2 tenants, as the superuser; then a report that reads most of them (index scans off:
            // the policy is a filter on every row read, as in any query the index does not serve).
            await db.Server.ExecuteAsync("""
                INSERT INTO invoices (tenant_id, total)
                SELECT CASE WHEN n % 2 = 0 THEN '00000000-0000-0000-0000-00000000a01e'::uuid ELSE '00000000-0000-0000-0000-0000000610be'::uuid END, n
                FROM generate_series(1, 200000) AS n;
                ANALYZE invoices;
                """, database);
            await using var conn = new NpgsqlConnection(db.Server.ConnectionString(database, "schema_app", pooling: false));
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true); SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL max_parallel_workers_per_gather = 0;", new { tenant = Acme }, tx);
            var plan = string.Join("\n", await conn.QueryAsync<string>("EXPLAIN SELECT sum(total) FROM invoices", transaction: tx));
            Assert.Equal(100002, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM invoices", transaction: tx));   // 100,000 and the 2 seeded
            var times = new List<double>();
            for (var run = 0; run < 7; run++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                await conn.ExecuteScalarAsync<decimal>("SELECT sum(total) FROM invoices", transaction: tx);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            return (plan, times[times.Count / 2]);
        }

        var bad = await MigrateAsync("tg2006_bad", Read("bad", rule));
        var (badPlan, badTime) = await MeasureAsync(bad);
        Assert.DoesNotContain("InitPlan", badPlan);                            // current_setting(...) in the per-row filter
        var fixedDatabase = await MigrateAsync("tg2006_fixed", Fixed());
        var (fixedPlan, fixedTime) = await MeasureAsync(fixedDatabase);
        Assert.Contains("InitPlan", fixedPlan);                                // evaluated once, its result reused
        output.WriteLine($"per row: {badTime:F1} ms (median of 7)\n{badPlan}\nonce (InitPlan): {fixedTime:F1} ms (median of 7)\n{fixedPlan}");
        await AssertFlagged(rule, "TG2006");
    }

    [Fact]
    public async Task TG2011_a_do_block_postgresql_rejects_leaves_every_table_without_its_policy_row_32()
    {
        const string rule = "TG2011_RejectedStatement";
        static (string Tables, string Policies) Split(string script)
        {
            var at = script.IndexOf("-- migration 2", StringComparison.Ordinal);
            return (script[..at], script[at..]);
        }

        // Migration 1 as usual; migration 2, the DO block, on its own (as a migration runner applies it).
        var (tables, policies) = Split(Read("bad", rule));
        var bad = await MigrateAsync("tg2011_bad", tables);
        await using (var owner = new NpgsqlConnection(db.Server.ConnectionString(bad, "schema_owner", pooling: false)))
        {
            await owner.OpenAsync();
            var error = await Assert.ThrowsAsync<PostgresException>(() => owner.ExecuteAsync(policies));
            Assert.Equal("42601", error.SqlState);
            Assert.Equal("syntax error at or near \"\"InvoiceLines\"\"", error.MessageText);    // TG2011's message says the same
            Assert.Equal(0L, await owner.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_policies"));  // invoices' policy rolled back too
        }

        Assert.Equal(0, await CountAsync(bad, "schema_app", Acme));                  // forced RLS, no policy: no rows at all

        var (fixedTables, fixedPolicies) = Split(Read("fixed", "invoices_policies_in_a_loop"));
        var fixedDatabase = await MigrateAsync("tg2011_fixed", fixedTables);
        await using (var owner = new NpgsqlConnection(db.Server.ConnectionString(fixedDatabase, "schema_owner", pooling: false)))
        {
            await owner.OpenAsync();
            await owner.ExecuteAsync(fixedPolicies);
            Assert.Equal(2L, await owner.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_policies"));
        }

        Assert.Equal(2, await CountAsync(fixedDatabase, "schema_app", Acme));
        Assert.Equal(1, await CountAsync(fixedDatabase, "schema_app", Globex));

        // TenantGuard: TG2011 on the EXECUTE, and (since nothing of the block remains) TG2004 on both tables' RLS,
        // which without a policy denies every row; the fixed script is clean.
        var diagnostics = await DiagnosticsAsync((rule + ".sql", Read("bad", rule)));
        Assert.Equal(new[] { "TG2004", "TG2004", "TG2011" }, diagnostics.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal).ToArray());
        Assert.Empty(await DiagnosticsAsync(("fixed.sql", Read("fixed", "invoices_policies_in_a_loop"))));
    }

    private static async Task AssertFlagged(string rule, string id, string? fixedMigration = null)
    {
        var bad = await DiagnosticsAsync((rule + ".sql", Read("bad", rule)));
        Assert.Equal(new[] { id }, bad.Select(d => d.Id).ToArray());
        Assert.Empty(await DiagnosticsAsync((rule + ".sql", fixedMigration ?? Fixed())));
    }

    /// <summary>Every TenantGuard rule over one migration file, in a project that references Npgsql.</summary>
    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(params (string Name, string Text)[] migrations)
    {
        var tree = CSharpSyntaxTree.ParseText("class Placeholder { }");
        var references = Net100.References.All.Cast<MetadataReference>().Append(MetadataReference.CreateFromFile(typeof(NpgsqlConnection).Assembly.Location));
        var compilation = CSharpCompilation.Create("Schema", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var analyzers = TenantGuardRules.CreateAnalyzers();
        var files = migrations.Select(m => (AdditionalText)new AdditionalFileText("/migrations/" + m.Name, m.Text)).ToImmutableArray();
        var diagnostics = await compilation.WithAnalyzers(analyzers, new AnalyzerOptions(files)).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Id != "TG0002").ToImmutableArray();
    }
}
