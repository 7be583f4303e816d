using System.Data.Common;
using System.Text.Json;
using Dapper;
using Npgsql;
using TenantPlatform.Data;

namespace TenantPlatform.Features;

public sealed record NewJob(string? Kind, JsonElement Args);

/// <summary>What one pass of the worker did: jobs run, jobs that failed (put back with backoff), jobs left dead.</summary>
public sealed record WorkerRun(int Ran, int Failed, int Dead);

public enum JobOutcome
{
    Done,
    Retry,
    Dead,
}

/// <summary>
/// Background jobs. The worker connects as tenant_worker (BYPASSRLS) only to claim the next job of any tenant with
/// FOR UPDATE SKIP LOCKED; then, in the same transaction, it drops to tenant_app and sets the job's tenant, so the
/// job's own reads and writes go through the policies like any request.
/// </summary>
public sealed class JobWorker(PlatformDatabase db, ILogger<JobWorker> log)
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/tenants/{tenantId:guid}/jobs", async (Guid tenantId, NewJob job, PlatformDatabase db, CancellationToken ct) =>
            Validate.Required(("kind", !string.IsNullOrWhiteSpace(job.Kind), "A job needs a kind (create_todo).")) ?? await db.Tenants.WithTenantAsync(TenantGuard.Rls.TenantContext.For(tenantId), async (conn, tx, token) =>
                Results.Ok(await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO background_jobs (tenant_id, kind, args) VALUES (@tenantId, @kind, CAST(@args AS jsonb)) RETURNING id",
                    new { tenantId, kind = job.Kind, args = job.Args.GetRawText() }, tx, cancellationToken: token))), ct));

        app.MapPost("/worker/run", async (JobWorker worker, CancellationToken ct) => Results.Ok(await worker.RunUntilIdleAsync(ct)));
    }

    /// <summary>How many attempts a job gets before it is left dead.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Runs the queued jobs that are due until none is left; a failing job is put back with backoff, or left dead.</summary>
    public async Task<WorkerRun> RunUntilIdleAsync(CancellationToken ct)
    {
        var run = new WorkerRun(0, 0, 0);
        while (await RunOneAsync(ct) is { } outcome)
        {
            run = outcome switch
            {
                JobOutcome.Done => run with { Ran = run.Ran + 1 },
                JobOutcome.Retry => run with { Failed = run.Failed + 1 },
                _ => run with { Failed = run.Failed + 1, Dead = run.Dead + 1 },
            };
        }

        return run;
    }

    /// <summary>Claims and runs the next due job; null when there is none.</summary>
    public async Task<JobOutcome?> RunOneAsync(CancellationToken ct)
    {
        await using var conn = await db.Worker.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        // Claiming across tenants is the one thing the worker role may do without a tenant.
#pragma warning disable TG1001
        var job = await conn.QuerySingleOrDefaultAsync<(long Id, Guid TenantId, string Kind, string Args, int Attempts)?>(new CommandDefinition(
            "SELECT id, tenant_id, kind, args::text, attempts FROM background_jobs WHERE state = 'queued' AND run_after <= now() ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
            transaction: tx,
            cancellationToken: ct));
#pragma warning restore TG1001
        if (job is not { } claimed)
        {
            return null;
        }

        // The job runs as the tenant, inside a savepoint: when it fails, the rollback to the savepoint undoes its
        // writes and the role and tenant setting with them, and the worker records the failure on the claimed row.
        await tx.SaveAsync("job", ct);
        try
        {
            await conn.ExecuteAsync(new CommandDefinition(
                "SET LOCAL ROLE tenant_app; SELECT set_config('app.tenant_id', @tenant, true)",
                new { tenant = claimed.TenantId.ToString() }, tx, cancellationToken: ct));
            await RunAsync(conn, tx, claimed.Kind, claimed.Args, ct);
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE background_jobs SET state = 'done', attempts = attempts + 1, finished_at = now() WHERE id = @id",
                new { id = claimed.Id }, tx, cancellationToken: ct));
            await tx.ReleaseAsync("job", ct);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or JsonException)
        {
            await tx.RollbackAsync("job", ct);
            var attempts = claimed.Attempts + 1;
            var dead = attempts >= MaxAttempts;
#pragma warning disable TG1001 // back to the worker role: the claimed row, by id
            await conn.ExecuteAsync(new CommandDefinition(
                """
                UPDATE background_jobs
                SET attempts = @attempts, last_error = @error,
                    state = CASE WHEN @dead THEN 'dead' ELSE 'queued' END,
                    run_after = now() + make_interval(secs => @backoff)
                WHERE id = @id
                """,
                new { id = claimed.Id, attempts, error = ex.Message, dead, backoff = Math.Pow(2, attempts) }, tx, cancellationToken: ct));
#pragma warning restore TG1001
            await tx.CommitAsync(ct);
            log.LogWarning(ex, "job {Id} ({Kind}) of tenant {Tenant} failed, attempt {Attempt} of {Max}", claimed.Id, claimed.Kind, claimed.TenantId, attempts, MaxAttempts);
            return dead ? JobOutcome.Dead : JobOutcome.Retry;
        }

        await tx.CommitAsync(ct);
        log.LogInformation("job {Id} ({Kind}) done for tenant {Tenant}", claimed.Id, claimed.Kind, claimed.TenantId);
        return JobOutcome.Done;
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
