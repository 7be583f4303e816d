using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace TenantGuard.Analyzers.Tests.Infrastructure
{
    /// <summary>
    /// Precision on service code written the way teams write it: correct code in several styles must produce no
    /// diagnostic at all, and a legacy service with the bugs of docs/postgres-behaviour.md exactly the expected ones.
    /// </summary>
    public class RealisticServiceTests
    {
        private const string CorrectService = """
            namespace Platform;

            public sealed record Contact(Guid Id, Guid TenantId, string Name);

            public interface ITenantAccessor { Guid TenantId { get; } }

            /// The golden pattern as a helper: short-lived connection, transaction, set_config(.., true), work, commit.
            public sealed class TenantDb(NpgsqlDataSource dataSource, ITenantAccessor tenant)
            {
                public async Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct = default)
                {
                    await using var conn = await dataSource.OpenConnectionAsync(ct);
                    await using var tx = await conn.BeginTransactionAsync(ct);
                    await conn.ExecuteAsync(new CommandDefinition(
                        "SELECT set_config('app.tenant_id', @tenant, true), set_config('app.role', 'member', true)",
                        new { tenant = tenant.TenantId.ToString() }, tx, cancellationToken: ct));
                    var result = await work(conn, tx);
                    await tx.CommitAsync(ct);
                    return result;
                }
            }

            public sealed class ContactRepository(TenantDb db)
            {
                public Task<IEnumerable<Contact>> ListAsync() =>
                    db.RunAsync((conn, tx) => conn.QueryAsync<Contact>("SELECT id, tenant_id, name FROM contacts ORDER BY name", transaction: tx));

                public Task<int> RenameAsync(Guid id, string name) =>
                    db.RunAsync((conn, tx) => conn.ExecuteAsync(
                        "UPDATE contacts SET name = @name WHERE id = @id", new { id, name }, tx));

                public Task<int> RememberAsync(Guid id, string json) =>
                    db.RunAsync((conn, tx) => conn.ExecuteAsync(
                        "INSERT INTO ai_memories (contact_id, value) VALUES (@id, CAST(@json AS jsonb)) ON CONFLICT (contact_id) DO UPDATE SET value = EXCLUDED.value",
                        new { id, json }, tx));
            }

            /// A unit of work handed around by the caller.
            public sealed class UnitOfWork(NpgsqlConnection connection, NpgsqlTransaction transaction)
            {
                public Task<int> AddTodoAsync(string title) =>
                    connection.ExecuteAsync("INSERT INTO todo_items (title) VALUES (@title)", new { title }, transaction);

                public async Task<long> CountAsync()
                {
                    await using var cmd = new NpgsqlCommand("SELECT count(*) FROM todo_items", connection, transaction);
                    return (long)(await cmd.ExecuteScalarAsync())!;
                }
            }

            public sealed class Importer(NpgsqlDataSource dataSource, HttpClient http, ILogger<Importer> log)
            {
                public async Task<int> ImportAsync(Guid tenant, CancellationToken ct)
                {
                    // Fetch first, then write in a short transaction with a savepoint per row.
                    var names = await http.GetFromJsonAsync<string[]>("https://provider.test/customers", ct) ?? Array.Empty<string>();
                    var created = 0;
                    await using var conn = await dataSource.OpenConnectionAsync(ct);
                    await using var tx = await conn.BeginTransactionAsync(ct);
                    await using (var set = new NpgsqlCommand("SELECT set_config('app.tenant_id', $1, true)", conn, tx))
                    {
                        set.Parameters.AddWithValue(tenant.ToString());
                        await set.ExecuteNonQueryAsync(ct);
                    }

                    foreach (var name in names)
                    {
                        await tx.SaveAsync("row", ct);
                        try
                        {
                            created += await conn.ExecuteAsync(
                                "INSERT INTO contacts (tenant_id, name) VALUES (@tenant, @name) ON CONFLICT DO NOTHING",
                                new { tenant, name }, tx);
                            await tx.ReleaseAsync("row", ct);
                        }
                        catch (PostgresException ex)
                        {
                            await tx.RollbackAsync("row", ct);
                            log.LogWarning(ex, "contact {Name} skipped", name);
                        }
                    }

                    await tx.CommitAsync(ct);
                    return created;
                }
            }

            public sealed class Worker(NpgsqlDataSource dataSource, ILogger<Worker> log)
            {
                public async Task<bool> RunOneAsync(CancellationToken ct)
                {
                    await using var conn = await dataSource.OpenConnectionAsync(ct);
                    await using var tx = await conn.BeginTransactionAsync(ct);
                    // The worker's role bypasses RLS to claim a job of any tenant, then sets that job's tenant.
            #pragma warning disable TG1001
                    var job = await conn.QuerySingleOrDefaultAsync<(Guid Id, Guid Tenant)?>(
                        "SELECT id, tenant_id FROM background_jobs WHERE done = false ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1",
                        transaction: tx);
            #pragma warning restore TG1001
                    if (job is null)
                    {
                        return false;
                    }

                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = job.Value.Tenant.ToString() }, tx);
                    try
                    {
                        await conn.ExecuteAsync("UPDATE background_jobs SET done = true WHERE id = @id", new { id = job.Value.Id }, tx);
                        await tx.CommitAsync(ct);
                    }
                    catch (Exception ex)
                    {
                        log.LogError(ex, "job {Id} failed", job.Value.Id);
                        await tx.RollbackAsync(CancellationToken.None);
                        throw;
                    }

                    return true;
                }
            }

            public sealed class Batches(NpgsqlDataSource dataSource)
            {
                public async Task<List<string>> NamesAsync(Guid tenant)
                {
                    await using var batch = new NpgsqlBatch
                    {
                        BatchCommands =
                        {
                            new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1, true)") { Parameters = { new() { Value = tenant.ToString() } } },
                            new NpgsqlBatchCommand("SELECT name FROM contacts"),
                        },
                    };
                    await using var conn = await dataSource.OpenConnectionAsync();
                    batch.Connection = conn;
                    await using var reader = await batch.ExecuteReaderAsync();
                    await reader.NextResultAsync();
                    var names = new List<string>();
                    while (await reader.ReadAsync()) names.Add(reader.GetString(0));
                    return names;
                }

                public async Task<object?> HealthAsync()
                {
                    await using var cmd = dataSource.CreateCommand("SELECT 1");
                    return await cmd.ExecuteScalarAsync();
                }
            }

            public sealed class AppDb(DbContextOptions<AppDb> options) : DbContext(options)
            {
                public DbSet<TodoItem> Todos => Set<TodoItem>();
            }

            public sealed class TodoItem { public Guid Id { get; set; } public string Title { get; set; } = ""; }

            public sealed class TodoService(AppDb db)
            {
                public Task<List<TodoItem>> SearchAsync(string term) =>
                    db.Todos.FromSql($"SELECT * FROM todo_items WHERE title ILIKE {"%" + term + "%"}").ToListAsync();

                public Task<int> PurgeAsync() => db.Database.ExecuteSqlRawAsync("DELETE FROM todo_items WHERE done");
            }

            public sealed class Idempotency(NpgsqlConnection conn, NpgsqlTransaction tx)
            {
                public async Task<bool> TryClaimAsync(string key)
                {
                    try
                    {
                        await conn.ExecuteAsync("INSERT INTO idempotency_keys (key) VALUES (@key)", new { key }, tx);
                        return true;
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                    {
                        throw new InvalidOperationException("duplicate request", e);
                    }
                }
            }
            """;

        private const string LegacyService = """
            namespace Legacy;

            public sealed class SquareSync(NpgsqlDataSource dataSource, HttpClient http)
            {
                public async Task<int> SyncAsync(string tenant)
                {
                    await using var conn = await dataSource.OpenConnectionAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SET LOCAL app.tenant_id = @t", new { t = tenant }, tx);
                    var customers = await http.GetFromJsonAsync<string[]>("https://connect.squareup.com/v2/customers") ?? Array.Empty<string>();
                    var created = 0;
                    foreach (var name in customers)
                    {
                        try
                        {
                            created += await conn.ExecuteAsync("INSERT INTO contacts (name, meta) VALUES (:name, :meta::jsonb)", new { name, meta = "{}" }, tx);
                        }
                        catch (Exception)
                        {
                        }
                    }

                    await tx.CommitAsync();
                    return created;
                }

                public async Task<long> CountAsync(string tenant)
                {
                    await using var conn = await dataSource.OpenConnectionAsync();
                    await conn.ExecuteAsync($"SELECT set_config('app.tenant_id', '{tenant}', false)");
                    await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM contacts");
                    return (long)(await cmd.ExecuteScalarAsync())!;
                }

                public async Task TouchAsync(string tenant)
                {
                    await using var conn = await dataSource.OpenConnectionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant });
                    await conn.ExecuteAsync("UPDATE contacts SET seen_at = now()");
                }
            }
            """;

        private static readonly AnalyzerOptions Options = new(
            ImmutableArray<AdditionalText>.Empty,
            new TestOptionsProvider(("tenantguard.tenant_tables", "contacts, ai_memories, todo_items, background_jobs, idempotency_keys")));

        [Fact]
        public async Task Correct_service_code_produces_no_diagnostic()
        {
            var (diagnostics, failure) = await RobustnessTests.RunAllAsync(CorrectService, options: Options);
            Assert.Null(failure);
            Assert.Empty(diagnostics.Select(d => d.ToString()));
        }

        [Fact]
        public async Task Legacy_service_code_produces_exactly_the_expected_diagnostics()
        {
            var (diagnostics, failure) = await RobustnessTests.RunAllAsync(LegacyService, options: Options);
            Assert.Null(failure);
            var actual = diagnostics.Select(d => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1}").OrderBy(x => x).ToArray();
            var expected = new[]
            {
                "TG1001@32", // data-source command: its own connection
                "TG1001@39", // set_config(.., true) without a transaction had expired
                "TG1002@16", // :meta::jsonb
                "TG1004@18", // empty catch inside the transaction, then commit (TG1004 alone: its savepoint fix is the one that helps)
                "TG1005@10", // Square call while the transaction is open
                "TG1006@9",  // SET LOCAL with @t
                "TG1007@38", // the useless set_config
                "TG1008@30", // session-level tenant setting
                "TG1009@30", // ... spliced in by interpolation
            }.OrderBy(x => x).ToArray();
            Assert.True(expected.SequenceEqual(actual), string.Join("\n", diagnostics.Select(d => d.ToString())));
        }
    }
}
