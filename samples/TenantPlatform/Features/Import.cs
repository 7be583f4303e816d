using System.Data.Common;
using Dapper;
using Npgsql;
using TenantGuard.Rls;
using TenantPlatform.Data;

namespace TenantPlatform.Features;

/// <summary>A customer as the booking provider (Square, Acuity) returns it.</summary>
public sealed record ProviderCustomer(string ExternalId, string? Name, string? Email);

public sealed record ImportFailure(string ExternalId, string SqlState, string Message);

public sealed record ImportResult(int Fetched, int Created, int Skipped, IReadOnlyList<ImportFailure> Failed);

/// <summary>
/// The import of docs/postgres-behaviour.md rows 9 and 13, done right: fetch from the provider first, with no transaction open;
/// then write in one short transaction with a savepoint per row, so a bad row is reported and rolled back alone while
/// the good rows are kept; ON CONFLICT makes a re-run create nothing twice.
/// </summary>
public sealed class Importer(PlatformDatabase db, HttpClient provider, ILogger<Importer> log)
{
    public async Task<ImportResult> ImportAsync(Guid tenantId, CancellationToken ct)
    {
        var customers = await provider.GetFromJsonAsync<ProviderCustomer[]>($"customers?tenant={tenantId}", ct) ?? [];
        return await db.Tenants.WithTenantAsync(TenantContext.For(tenantId), (conn, tx, token) => WriteAsync(conn, tx, tenantId, customers, token), ct);
    }

    private async Task<ImportResult> WriteAsync(DbConnection conn, DbTransaction tx, Guid tenantId, ProviderCustomer[] customers, CancellationToken ct)
    {
        var created = 0;
        var skipped = 0;
        var failed = new List<ImportFailure>();
        foreach (var customer in customers)
        {
            await tx.SaveAsync("import_row", ct);
            try
            {
                var inserted = await conn.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO contacts (tenant_id, external_id, name, email)
                    VALUES (@tenantId, @externalId, @name, @email)
                    ON CONFLICT (tenant_id, external_id) DO NOTHING
                    """,
                    new { tenantId, externalId = customer.ExternalId, name = customer.Name, email = customer.Email },
                    tx,
                    cancellationToken: ct));
                await tx.ReleaseAsync("import_row", ct);
                created += inserted;
                skipped += 1 - inserted;
            }
            catch (PostgresException ex)
            {
                await tx.RollbackAsync("import_row", ct);
                log.LogWarning(ex, "customer {ExternalId} not imported", customer.ExternalId);
                failed.Add(new ImportFailure(customer.ExternalId, ex.SqlState, ex.MessageText));
            }
        }

        return new ImportResult(customers.Length, created, skipped, failed);
    }
}
