using Dapper;
using TenantGuard.Rls;
using TenantPlatform.Data;

namespace TenantPlatform.Features;

public sealed record Payment(Guid Id, Guid? ContactId, string? ExternalId, long AmountCents);

public sealed record NewPayment(string? ExternalId, long AmountCents, Guid? ContactId = null);

/// <summary>Payments (the transactions table), recorded once per provider id: a replayed webhook records nothing twice.</summary>
public static class Payments
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/tenants/{tenantId:guid}/transactions", async (Guid tenantId, NewPayment body, PlatformDatabase db, CancellationToken ct) =>
            Validate.Required(
                ("externalId", !string.IsNullOrWhiteSpace(body.ExternalId), "A payment needs the provider's id (externalId)."),
                ("amountCents", body.AmountCents > 0, "amountCents must be positive.")) ?? await db.Tenants.WithTenantAsync(TenantContext.For(tenantId), async (conn, tx, token) =>
            {
                // A contact the tenant cannot see (another tenant's, or none) is not found: the same answer for both, so
                // the endpoint tells nothing about other tenants' ids. The composite foreign key refuses it anyway.
                if (body.ContactId is { } contactId
                    && !await conn.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM contacts WHERE id = @contactId)", new { contactId }, tx, cancellationToken: token)))
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No contact with this id for this tenant.");
                }

                var created = await conn.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO transactions (tenant_id, contact_id, external_id, amount_cents)
                    VALUES (@tenantId, @contactId, @externalId, @amountCents)
                    ON CONFLICT (tenant_id, external_id) DO NOTHING
                    """,
                    new { tenantId, contactId = body.ContactId, externalId = body.ExternalId, amountCents = body.AmountCents },
                    tx,
                    cancellationToken: token));
                return Results.Ok(new { created });
            }, ct));

        app.MapGet("/tenants/{tenantId:guid}/transactions", (Guid tenantId, PlatformDatabase db, CancellationToken ct) =>
            db.Tenants.WithTenantAsync(TenantContext.For(tenantId), async (conn, tx, token) =>
                Results.Ok((await conn.QueryAsync<Payment>(new CommandDefinition(
                    "SELECT id, contact_id AS ContactId, external_id AS ExternalId, amount_cents AS AmountCents FROM transactions ORDER BY created_at",
                    transaction: tx,
                    cancellationToken: token))).ToList()), ct));
    }
}
