using Dapper;
using Npgsql;
using TenantGuard.Rls;
using TenantPlatform.Data;

namespace TenantPlatform.Features;

public sealed record Contact(Guid Id, Guid TenantId, string? ExternalId, string Name, string? Email);

public sealed record NewContact(string? Name, string? Email, Guid? TenantId = null);

public static class Contacts
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/tenants/{tenantId:guid}/contacts", async (Guid tenantId, PlatformDatabase db, CancellationToken ct) =>
            Results.Ok(await ListAsync(db, tenantId, ct)));

        app.MapPost("/tenants/{tenantId:guid}/contacts", async (Guid tenantId, NewContact body, PlatformDatabase db, CancellationToken ct) =>
        {
            if (Validate.Required(("name", !string.IsNullOrWhiteSpace(body.Name), "A contact needs a name.")) is { } invalid)
            {
                return invalid;
            }

            try
            {
                var contact = await CreateAsync(db, tenantId, body, ct);
                return Results.Created($"/tenants/{tenantId}/contacts/{contact.Id}", contact);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                // The row-level security policy refused a row for another tenant.
                return Results.Problem(ex.MessageText, statusCode: StatusCodes.Status403Forbidden);
            }
        });
    }

    public static Task<List<Contact>> ListAsync(PlatformDatabase db, Guid tenantId, CancellationToken ct) =>
        db.Tenants.WithTenantAsync(TenantContext.For(tenantId), async (conn, tx, token) =>
            (await conn.QueryAsync<Contact>(new CommandDefinition(
                "SELECT id, tenant_id AS TenantId, external_id AS ExternalId, name, email FROM contacts ORDER BY created_at, name",
                transaction: tx,
                cancellationToken: token))).ToList(), ct);

    /// <summary>Creates a contact. A tenant id in the body that is not the caller's is refused by the policy (42501).</summary>
    public static Task<Contact> CreateAsync(PlatformDatabase db, Guid tenantId, NewContact body, CancellationToken ct) =>
        db.Tenants.WithTenantAsync(TenantContext.For(tenantId), (conn, tx, token) =>
            conn.QuerySingleAsync<Contact>(new CommandDefinition(
                """
                INSERT INTO contacts (tenant_id, name, email)
                VALUES (@tenant, @name, @email)
                RETURNING id, tenant_id AS TenantId, external_id AS ExternalId, name, email
                """,
                new { tenant = body.TenantId ?? tenantId, name = body.Name, email = body.Email },
                tx,
                cancellationToken: token)), ct);
}
