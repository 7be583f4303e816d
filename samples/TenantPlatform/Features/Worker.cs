using System.Data.Common;
using System.Text.Json;
using Dapper;
using Npgsql;
using TenantPlatform.Data;

namespace TenantPlatform.Features;

public sealed record NewJob(string Kind, JsonElement Args);

/// <summary>
/// Background jobs. The worker connects as tenant_worker (BYPASSRLS) only to claim the next job of any tenant with
/// FOR UPDATE SKIP LOCKED; then, in the same transaction, it drops to tenant_app and sets the job's tenant, so the
/// job's own reads and writes go through the policies like any request.
/// </summary>
public sealed class JobWorker(PlatformDatabase db, ILogger<JobWorker> log)
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/tenants/{tenantId:guid}/jobs", (Guid tenantId, NewJob job, PlatformDatabase db, CancellationToken ct) =>
            db.Tenants.WithTenantAsync(TenantGuard.Rls.TenantContext.For(tenantId), async (conn, tx, token) =>
                Results.Ok(await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO background_jobs (tenant_id, kind, args) VALUES (@tenantId, @kind, CAST(@args AS jsonb)) RETURNING id",
                    new { tenantId, kind = job.Kind, args = job.Args.GetRawText() }, tx, cancellationToken: token))), ct));

        app.MapPost("/worker/run", async (JobWorker worker, CancellationToken ct) => Results.Ok(await worker.RunUntilIdleAsync(ct)));
    }

    /// <summary>Runs queued jobs until none is left; returns how many ran.</summary>
    public async Task<int> RunUntilIdleAsync(CancellationToken ct)
    {
        var ran = 0;
        while (await RunOneAsync(ct))
        {
            ran++;
        }

        return ran;
    }

    public async Task<bool> RunOneAsync(CancellationToken ct)
    {
        await using var conn = await db.Worker.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        // Claiming across tenants is the one thing the worker role may do without a tenant.
#pragma warning disable TG1001
        var job = await conn.QuerySingleOrDefaultAsync<(long Id, Guid TenantId, string Kind, string Args)?>(new CommandDefinition(
            "SELECT id, tenant_id, kind, args::text FROM background_jobs WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
            transaction: tx,
            cancellationToken: ct));
#pragma warning restore TG1001
        if (job is not { } claimed)
        {
            return false;
        }

        await conn.ExecuteAsync(new CommandDefinition(
            "SET LOCAL ROLE tenant_app; SELECT set_config('app.tenant_id', @tenant, true)",
            new { tenant = claimed.TenantId.ToString() }, tx, cancellationToken: ct));
        await RunAsync(conn, tx, claimed.Kind, claimed.Args, ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE background_jobs SET state = 'done', finished_at = now() WHERE id = @id",
            new { id = claimed.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        log.LogInformation("job {Id} ({Kind}) done for tenant {Tenant}", claimed.Id, claimed.Kind, claimed.TenantId);
        return true;
    }

    private static Task RunAsync(DbConnection conn, DbTransaction tx, string kind, string args, CancellationToken ct) => kind switch
    {
        "create_todo" => conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO todo_items (tenant_id, title) VALUES (current_setting('app.tenant_id')::uuid, CAST(@args AS jsonb) ->> 'title')",
            new { args }, tx, cancellationToken: ct)),
        _ => throw new InvalidOperationException("unknown job kind " + kind),
    };
}

/// <summary>Runs the worker in the background when enabled (Worker:Enabled).</summary>
public sealed class JobWorkerService(JobWorker worker, IConfiguration configuration, ILogger<JobWorkerService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Worker:Enabled", false))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await worker.RunUntilIdleAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "worker pass failed");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
        }
    }
}
