// EF Core binds {0}: SET LOCAL with a placeholder fails with 42601 on every call.
namespace FieldCorpus.RawPlaceholder;

public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    public async Task SetTenantContextAsync(Guid tenantId)
    {
        await Database.ExecuteSqlRawAsync("SET LOCAL app.current_tenant_id = {0}", tenantId); // expect: TG1006
    }

    public Task SetTenantContextFixedAsync(Guid tenantId) =>
        Database.ExecuteSqlRawAsync("SELECT set_config('app.current_tenant_id', {0}, true)", tenantId.ToString());
}
