using Dapper;
using TenantGuard.Rls;
using TenantPlatform.Data;

namespace TenantPlatform.Features;

public sealed record TodoItem(Guid Id, string Title, bool Done);

public sealed record NewTodo(string? Title);

public sealed record Approval(Guid Id, string Payload, string State);

/// <summary>Todo items, AI memories (jsonb) and approvals guarded by idempotency keys.</summary>
public static class TenantData
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/tenants/{tenantId:guid}/todos", (Guid tenantId, PlatformDatabase db, CancellationToken ct) =>
            db.Tenants.WithTenantAsync(TenantContext.For(tenantId), async (conn, tx, token) =>
                Results.Ok((await conn.QueryAsync<TodoItem>(new CommandDefinition("SELECT id, title, done FROM todo_items ORDER BY created_at", transaction: tx, cancellationToken: token))).ToList()), ct));

        app.MapPost("/tenants/{tenantId:guid}/todos", async (Guid tenantId, NewTodo body, PlatformDatabase db, CancellationToken ct) =>
            Validate.Required(("title", !string.IsNullOrWhiteSpace(body.Title), "A todo needs a title.")) ?? await db.Tenants.WithTenantAsync(TenantContext.For(tenantId), async (conn, tx, token) =>
                Results.Ok(await conn.QuerySingleAsync<TodoItem>(new CommandDefinition(
                    "INSERT INTO todo_items (tenant_id, title) VALUES (@tenantId, @title) RETURNING id, title, done",
                    new { tenantId, title = body.Title }, tx, cancellationToken: token))), ct));

        app.MapPut("/tenants/{tenantId:guid}/memories/{key}", async (Guid tenantId, string key, HttpRequest request, PlatformDatabase db, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var json = await reader.ReadToEndAsync(ct);
            if (Validate.Json(json) is { } invalid)
            {
                return invalid;
            }

            await db.Tenants.WithTenantAsync(TenantContext.For(tenantId), (conn, tx, token) =>
                conn.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO ai_memories (tenant_id, key, value) VALUES (@tenantId, @key, CAST(@json AS jsonb))
                    ON CONFLICT (tenant_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
                    """,
                    new { tenantId, key, json }, tx, cancellationToken: token)), ct);
            return Results.NoContent();
        });

        app.MapGet("/tenants/{tenantId:guid}/memories/{key}", (Guid tenantId, string key, PlatformDatabase db, CancellationToken ct) =>
            db.Tenants.WithTenantAsync(TenantContext.For(tenantId), async (conn, tx, token) =>
            {
                var value = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                    "SELECT value::text FROM ai_memories WHERE key = @key", new { key }, tx, cancellationToken: token));
                return value is null ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"This tenant has no memory '{key}'.") : Results.Text(value, "application/json");
            }, ct));

        // An approval is created once per Idempotency-Key: a retried request returns the first one.
        app.MapPost("/tenants/{tenantId:guid}/approvals", async (Guid tenantId, HttpRequest request, PlatformDatabase db, CancellationToken ct) =>
        {
            var key = request.Headers["Idempotency-Key"].ToString();
            if (string.IsNullOrEmpty(key))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["The Idempotency-Key header is required: a retried request with the same key returns the first approval."] });
            }

            using var reader = new StreamReader(request.Body);
            var payload = await reader.ReadToEndAsync(ct);
            if (Validate.Json(payload) is { } invalidPayload)
            {
                return invalidPayload;
            }

            var approval = await db.Tenants.WithTenantAsync(TenantContext.For(tenantId), async (conn, tx, token) =>
            {
                var id = Guid.NewGuid();
                var claimed = await conn.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO idempotency_keys (tenant_id, key, approval_id) VALUES (@tenantId, @key, @id) ON CONFLICT DO NOTHING",
                    new { tenantId, key, id }, tx, cancellationToken: token));
                if (claimed == 1)
                {
                    await conn.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO approvals (id, tenant_id, payload) VALUES (@id, @tenantId, CAST(@payload AS jsonb))",
                        new { id, tenantId, payload }, tx, cancellationToken: token));
                }

                return await conn.QuerySingleAsync<Approval>(new CommandDefinition(
                    "SELECT a.id, a.payload::text AS payload, a.state FROM approvals a JOIN idempotency_keys k ON k.approval_id = a.id WHERE k.key = @key",
                    new { key }, tx, cancellationToken: token));
            }, ct);
            return Results.Ok(approval);
        });
    }
}
