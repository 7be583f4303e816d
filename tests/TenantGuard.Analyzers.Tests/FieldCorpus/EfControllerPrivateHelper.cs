// A controller whose actions apply the tenant through a private helper on the injected EF Core context: called only
// by actions, with no transaction open, the helper's transaction-local setting ends with EF Core's own command. A
// second controller's helper, called by an action inside the transaction it began, is fine.
namespace FieldCorpus.ControllerHelper;

public sealed class Project
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
}

public sealed class PlannerDb(DbContextOptions<PlannerDb> options) : DbContext(options)
{
    public DbSet<Project> Projects => Set<Project>();
}

public sealed class ProjectsController(PlannerDb db)
{
    public async Task<int> CountAsync(Guid tenantId)
    {
        await UseTenantAsync(tenantId);
        return await db.Projects.CountAsync();
    }

    public async Task<List<Project>> ListAsync(Guid tenantId)
    {
        await UseTenantAsync(tenantId);
        return await db.Projects.ToListAsync();
    }

    private Task UseTenantAsync(Guid tenantId) =>
        db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString()); // expect: TG1007
}

public sealed class ArchiveController(PlannerDb db)
{
    public async Task<int> ArchiveAsync(Guid tenantId)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await UseTenantAsync(tenantId);
        var archived = await db.Projects.ExecuteDeleteAsync();
        await transaction.CommitAsync();
        return archived;
    }

    private Task UseTenantAsync(Guid tenantId) =>
        db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
}
