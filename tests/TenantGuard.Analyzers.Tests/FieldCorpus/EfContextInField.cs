// A service whose EF context is a field: its methods run inside the caller's transaction.
namespace FieldCorpus.Provisioning;

public sealed class TenantDb(DbContextOptions<TenantDb> options) : DbContext(options);

public sealed class TenantProvisioningService(TenantDb db)
{
    private readonly TenantDb _db = db;

    public async Task ProvisionAsync(Guid tenantId)
    {
        await using var transaction = await _db.Database.BeginTransactionAsync();
        await SetTenantAsync(tenantId);
        await SeedAsync();
        await transaction.CommitAsync();

        async Task SeedAsync() => await _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.seeding', 'on', true)");
    }

    private Task SetTenantAsync(Guid tenantId) =>
        _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
}
