using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using TenantPlatform;
using TenantPlatform.Features;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>The sample platform, running on the live database, keeps tenants apart under load and failure.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PlatformTests(EndToEndDatabase db) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, string> _customers = new();
    private FakeProvider _provider = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _provider = new FakeProvider(request => _customers.TryGetValue(request.QueryString["tenant"] ?? "", out var body) ? body : "[]");
        _app = PlatformApp.Build(db.Platform, _provider.BaseAddress, urls: "http://127.0.0.1:0");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _provider.Dispose();
    }

    private async Task<Guid> NewTenantAsync()
    {
        var id = Guid.NewGuid();
        (await _http.PostAsJsonAsync("/tenants", new { id, name = "tenant " + id.ToString()[..8] })).EnsureSuccessStatusCode();
        return id;
    }

    private async Task<List<Contact>> ContactsAsync(Guid tenant) =>
        (await _http.GetFromJsonAsync<List<Contact>>($"/tenants/{tenant}/contacts", Json))!;

    private async Task AddContactAsync(Guid tenant, string name) =>
        (await _http.PostAsJsonAsync($"/tenants/{tenant}/contacts", new { name })).EnsureSuccessStatusCode();

    private async Task<ImportResult> ImportAsync(Guid tenant)
    {
        var response = await _http.PostAsync($"/tenants/{tenant}/import", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ImportResult>(Json))!;
    }

    private void ProviderReturns(Guid tenant, IEnumerable<object> customers) =>
        _customers[tenant.ToString()] = JsonSerializer.Serialize(customers, Json);

    private async Task<long> CountAsSuperuserAsync(Guid tenant)
    {
        await using var conn = new NpgsqlConnection(db.Platform.Owner);
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM contacts WHERE tenant_id = @tenant", new { tenant });
    }

    [Fact]
    public async Task Two_tenants_never_see_each_others_rows()
    {
        var a = await NewTenantAsync();
        var b = await NewTenantAsync();
        await AddContactAsync(a, "Ada");
        await AddContactAsync(a, "Alan");
        await AddContactAsync(b, "Barbara");

        var seenByA = await ContactsAsync(a);
        var seenByB = await ContactsAsync(b);
        Assert.Equal(new[] { "Ada", "Alan" }, seenByA.Select(c => c.Name).Order());
        Assert.All(seenByA, c => Assert.Equal(a, c.TenantId));
        Assert.Equal(new[] { "Barbara" }, seenByB.Select(c => c.Name));
        Assert.All(seenByB, c => Assert.Equal(b, c.TenantId));
    }

    [Fact]
    public async Task A_write_with_another_tenants_id_is_rejected()
    {
        var a = await NewTenantAsync();
        var b = await NewTenantAsync();
        var response = await _http.PostAsJsonAsync($"/tenants/{a}/contacts", new { name = "Mallory", tenantId = b });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("row-level security", await response.Content.ReadAsStringAsync());
        Assert.Empty(await ContactsAsync(b));
        Assert.Equal(0, await CountAsSuperuserAsync(b));
    }

    [Fact]
    public async Task Re_running_an_import_creates_no_duplicates()
    {
        var tenant = await NewTenantAsync();
        ProviderReturns(tenant, Enumerable.Range(1, 25).Select(i => new { externalId = "sq-" + i, name = "Customer " + i, email = $"c{i}@example.test" }));

        var first = await ImportAsync(tenant);
        var second = await ImportAsync(tenant);
        Assert.Equal(new ImportResult(25, 25, 0, []), first with { Failed = [] });
        Assert.Equal(25, second.Fetched);
        Assert.Equal(0, second.Created);
        Assert.Equal(25, second.Skipped);
        Assert.Equal(25, (await ContactsAsync(tenant)).Count);
    }

    [Fact]
    public async Task A_bad_row_is_reported_and_the_good_rows_are_kept()
    {
        var tenant = await NewTenantAsync();
        ProviderReturns(tenant, new object[]
        {
            new { externalId = "ok-1", name = "Ada" },
            new { externalId = "bad-1", name = (string?)null },
            new { externalId = "ok-2", name = "Grace" },
        });

        var result = await ImportAsync(tenant);
        Assert.Equal(3, result.Fetched);
        Assert.Equal(2, result.Created);
        var failure = Assert.Single(result.Failed);
        Assert.Equal("bad-1", failure.ExternalId);
        Assert.Equal(PostgresErrorCodes.NotNullViolation, failure.SqlState);
        Assert.Equal(new[] { "Ada", "Grace" }, (await ContactsAsync(tenant)).Select(c => c.Name).Order());
    }

    [Fact]
    public async Task Two_hundred_concurrent_requests_over_ten_tenants_return_no_foreign_rows()
    {
        var tenants = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var tenant = await NewTenantAsync();
            tenants.Add(tenant);
            for (var j = 0; j < 3; j++)
            {
                await AddContactAsync(tenant, $"t{i}-c{j}");
            }
        }

        var requests = Enumerable.Range(0, 200).Select(async i =>
        {
            var tenant = tenants[i % tenants.Count];
            var rows = await ContactsAsync(tenant);
            return (tenant, rows);
        });
        var results = await Task.WhenAll(requests);
        var foreign = results.Sum(r => r.rows.Count(c => c.TenantId != r.tenant));
        Assert.Equal(0, foreign);
        Assert.All(results, r => Assert.Equal(3, r.rows.Count));
    }

    [Fact]
    public async Task A_connection_killed_mid_import_leaves_no_partial_commit_and_no_leaked_setting()
    {
        var tenant = await NewTenantAsync();
        ProviderReturns(tenant, Enumerable.Range(1, 4000).Select(i => new { externalId = "big-" + i, name = "Customer " + i }));

        // A row the import will write, inserted and not committed by another session: the import's INSERT of it waits on
        // that session's transaction (the unique key), mid-import, with its earlier rows written. The test waits for
        // that state, not for a moment, then kills the import's backend.
        long killed;
        Task<HttpResponseMessage> import;
        await using (var blocker = new NpgsqlConnection(db.Platform.Owner))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("INSERT INTO contacts (tenant_id, external_id, name) VALUES (@tenant, 'big-2000', 'held')", new { tenant }, hold);

            import = _http.PostAsync($"/tenants/{tenant}/import", null);
            await using var admin = new NpgsqlConnection(db.Platform.Owner);
            await admin.OpenAsync();
            var waiting = 0L;
            var deadline = DateTime.UtcNow.AddMinutes(2); // a bound on a stuck run, not a condition of the outcome
            while (waiting == 0 && !import.IsCompleted && DateTime.UtcNow < deadline)
            {
                waiting = await admin.ExecuteScalarAsync<long>("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE usename = 'tenant_app' AND backend_xid IS NOT NULL AND wait_event_type = 'Lock'
                    """);
                await Task.Delay(20);
            }

            Assert.True(waiting > 0, "the import never waited on the held row");
            killed = await admin.ExecuteScalarAsync<long>("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE usename = 'tenant_app' AND backend_xid IS NOT NULL AND wait_event_type = 'Lock'
                """);
            await hold.RollbackAsync();
        }

        Assert.True(killed > 0, "the import's backend was not terminated");
        var response = await import;
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(0, await CountAsSuperuserAsync(tenant));                 // nothing of the import was committed

        // No pooled connection carries a tenant: open as many as the pool may hold and look.
        await using var pool = NpgsqlDataSource.Create(db.Platform.App);
        var connections = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                var connection = await pool.OpenConnectionAsync();
                connections.Add(connection);
                Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT nullif(current_setting('app.tenant_id', true), '')"));
            }
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }

        // The platform recovers: the same import now runs to the end.
        var again = await ImportAsync(tenant);
        Assert.Equal(4000, again.Created);
    }

    [Fact]
    public async Task The_worker_claims_jobs_across_tenants_and_runs_each_under_its_tenant()
    {
        var a = await NewTenantAsync();
        var b = await NewTenantAsync();
        foreach (var (tenant, title) in new[] { (a, "call Ada"), (b, "call Bob"), (a, "email Ada") })
        {
            (await _http.PostAsJsonAsync($"/tenants/{tenant}/jobs", new { kind = "create_todo", args = new { title } })).EnsureSuccessStatusCode();
        }

        var run = await (await _http.PostAsync("/worker/run", null)).Content.ReadFromJsonAsync<WorkerRun>(Json);
        Assert.True(run!.Ran >= 3);
        var todosA = await _http.GetFromJsonAsync<List<TodoItem>>($"/tenants/{a}/todos", Json);
        var todosB = await _http.GetFromJsonAsync<List<TodoItem>>($"/tenants/{b}/todos", Json);
        Assert.Equal(new[] { "call Ada", "email Ada" }, todosA!.Select(t => t.Title).Order());
        Assert.Equal(new[] { "call Bob" }, todosB!.Select(t => t.Title));
    }

    [Fact]
    public async Task Payments_are_recorded_once_and_only_for_their_tenant()
    {
        var a = await NewTenantAsync();
        var b = await NewTenantAsync();
        for (var i = 0; i < 2; i++)
        {
            // A replayed provider webhook.
            (await _http.PostAsJsonAsync($"/tenants/{a}/transactions", new { externalId = "pay-1", amountCents = 1250 })).EnsureSuccessStatusCode();
        }

        var paymentsA = await _http.GetFromJsonAsync<List<Payment>>($"/tenants/{a}/transactions", Json);
        var paymentsB = await _http.GetFromJsonAsync<List<Payment>>($"/tenants/{b}/transactions", Json);
        Assert.Equal(1250, Assert.Single(paymentsA!).AmountCents);
        Assert.Empty(paymentsB!);
    }

    [Fact]
    public async Task A_reference_to_another_tenants_contact_is_not_found_like_a_random_one()
    {
        var a = await NewTenantAsync();
        var b = await NewTenantAsync();
        await AddContactAsync(a, "Ada");
        await AddContactAsync(b, "Bob");
        var adas = (await ContactsAsync(a)).Single().Id;
        var bobs = (await ContactsAsync(b)).Single().Id;

        // Tenant B names A's contact, then an id nobody has: the same 404 (no existence oracle), nothing recorded.
        var foreign = await _http.PostAsJsonAsync($"/tenants/{b}/transactions", new { externalId = "pay-x", amountCents = 1, contactId = adas });
        var random = await _http.PostAsJsonAsync($"/tenants/{b}/transactions", new { externalId = "pay-y", amountCents = 1, contactId = Guid.NewGuid() });
        Assert.Equal(System.Net.HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, random.StatusCode);

        (await _http.PostAsJsonAsync($"/tenants/{b}/transactions", new { externalId = "pay-z", amountCents = 5, contactId = bobs })).EnsureSuccessStatusCode();
        var payments = await _http.GetFromJsonAsync<List<Payment>>($"/tenants/{b}/transactions", Json);
        Assert.Equal(bobs, Assert.Single(payments!).ContactId);

        // Underneath, the composite foreign key refuses the foreign contact even where the endpoint's check is skipped.
        await using var conn = new Npgsql.NpgsqlConnection(db.Platform.App);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await Dapper.SqlMapper.ExecuteAsync(conn, "SELECT set_config('app.tenant_id', @b, true)", new { b = b.ToString() }, tx);
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Dapper.SqlMapper.ExecuteAsync(conn,
            "INSERT INTO transactions (tenant_id, contact_id, amount_cents) VALUES (@b, @adas, 1)", new { b, adas }, tx));
        Assert.Equal("23503", error.SqlState);
    }

    [Fact]
    public async Task Memories_and_idempotent_approvals()
    {
        var tenant = await NewTenantAsync();
        (await _http.PutAsync($"/tenants/{tenant}/memories/plan", new StringContent("{\"days\": 14}"))).EnsureSuccessStatusCode();
        Assert.Equal("{\"days\": 14}", await _http.GetStringAsync($"/tenants/{tenant}/memories/plan"));

        async Task<Approval> ApproveAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/tenants/{tenant}/approvals") { Content = new StringContent("{\"action\": \"send\"}") };
            request.Headers.Add("Idempotency-Key", "k-1");
            var response = await _http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<Approval>(Json))!;
        }

        var first = await ApproveAsync();
        var retried = await ApproveAsync();
        Assert.Equal(first.Id, retried.Id);
    }

    [Fact]
    public async Task A_poisoned_job_is_retried_then_left_dead_while_other_tenants_jobs_run()
    {
        var a = await NewTenantAsync();
        var b = await NewTenantAsync();
        (await _http.PostAsJsonAsync($"/tenants/{a}/jobs", new { kind = "bogus", args = new { } })).EnsureSuccessStatusCode();
        (await _http.PostAsJsonAsync($"/tenants/{b}/jobs", new { kind = "create_todo", args = new { title = "call Bob" } })).EnsureSuccessStatusCode();

        // Every pass answers 200; B's job runs in the first, whatever A's does.
        var first = await _http.PostAsync("/worker/run", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((await first.Content.ReadFromJsonAsync<WorkerRun>(Json))!.Failed >= 1);
        Assert.Equal(new[] { "call Bob" }, (await _http.GetFromJsonAsync<List<TodoItem>>($"/tenants/{b}/todos", Json))!.Select(t => t.Title));

        // A's job: queued again with backoff, attempt by attempt, then dead, and its error kept.
        await using var conn = new NpgsqlConnection(db.Platform.Owner);
        for (var attempt = 2; attempt <= JobWorker.MaxAttempts; attempt++)
        {
            await conn.ExecuteAsync("UPDATE background_jobs SET run_after = now() WHERE tenant_id = @a AND state = 'queued'", new { a }); // skip the wait
            Assert.Equal(HttpStatusCode.OK, (await _http.PostAsync("/worker/run", null)).StatusCode);
        }

        var job = await conn.QuerySingleAsync<(string State, int Attempts, string LastError)>(
            "SELECT state, attempts, last_error FROM background_jobs WHERE tenant_id = @a", new { a });
        Assert.Equal(("dead", JobWorker.MaxAttempts), (job.State, job.Attempts));
        Assert.Contains("unknown job kind bogus", job.LastError);
        Assert.Empty((await _http.GetFromJsonAsync<List<TodoItem>>($"/tenants/{a}/todos", Json))!);
    }

    [Fact]
    public async Task Bad_requests_get_problem_details_with_a_clear_status()
    {
        var tenant = await NewTenantAsync();

        async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(body).RootElement.Clone();
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            return problem;
        }

        StringContent Raw(string text, string type = "application/json") => new(text, System.Text.Encoding.UTF8, type);

        var noName = await ProblemAsync(await _http.PostAsJsonAsync("/tenants", new { id = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        Assert.True(noName.GetProperty("errors").TryGetProperty("name", out _));
        var noId = await ProblemAsync(await _http.PostAsJsonAsync("/tenants", new { name = "no id" }), HttpStatusCode.BadRequest);
        Assert.True(noId.GetProperty("errors").TryGetProperty("id", out _));
        await using (var conn = new NpgsqlConnection(db.Platform.Owner))
        {
            Assert.Equal(0, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM tenants WHERE id = '00000000-0000-0000-0000-000000000000'"));
        }

        await ProblemAsync(await _http.PostAsync($"/tenants/{tenant}/todos", Raw("{}")), HttpStatusCode.BadRequest);
        var notJson = await ProblemAsync(await _http.PostAsync($"/tenants/{tenant}/todos", Raw("{not json")), HttpStatusCode.BadRequest);
        Assert.Contains("JSON", notJson.GetProperty("detail").GetString());
        await ProblemAsync(await _http.PutAsync($"/tenants/{tenant}/memories/plan", Raw("{not json")), HttpStatusCode.BadRequest);
        var approval = new HttpRequestMessage(HttpMethod.Post, $"/tenants/{tenant}/approvals") { Content = Raw("not json") };
        approval.Headers.Add("Idempotency-Key", "k-bad");
        await ProblemAsync(await _http.SendAsync(approval), HttpStatusCode.BadRequest);
        await ProblemAsync(await _http.PostAsync($"/tenants/{tenant}/approvals", Raw("{}")), HttpStatusCode.BadRequest); // no key
        await ProblemAsync(await _http.PostAsync($"/tenants/{tenant}/todos", Raw("title=x", "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType);

        // A tenant that does not exist, a memory that does not, a route that does not: 404.
        var unknown = await ProblemAsync(await _http.PostAsJsonAsync($"/tenants/{Guid.NewGuid()}/todos", new { title = "x" }), HttpStatusCode.NotFound);
        Assert.Contains("does not exist", unknown.GetProperty("detail").GetString());
        await ProblemAsync(await _http.GetAsync($"/tenants/{tenant}/memories/nothing"), HttpStatusCode.NotFound);
        await ProblemAsync(await _http.GetAsync("/no/such/route"), HttpStatusCode.NotFound);

        // The provider unreachable: 502, not 500.
        var offline = PlatformApp.Build(db.Platform, new Uri("http://127.0.0.1:9/"), urls: "http://127.0.0.1:0");
        await offline.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(offline.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
            await ProblemAsync(await http.PostAsync($"/tenants/{tenant}/import", null), HttpStatusCode.BadGateway);
        }
        finally
        {
            await offline.StopAsync();
            await offline.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_openapi_document_lists_the_routes()
    {
        var document = JsonDocument.Parse(await _http.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        foreach (var route in new[] { "/tenants", "/tenants/{tenantId}/contacts", "/tenants/{tenantId}/import", "/tenants/{tenantId}/todos", "/tenants/{tenantId}/memories/{key}",
            "/tenants/{tenantId}/approvals", "/tenants/{tenantId}/transactions", "/tenants/{tenantId}/jobs", "/worker/run", "/health" })
        {
            Assert.Contains(route, paths);
        }
    }
}
