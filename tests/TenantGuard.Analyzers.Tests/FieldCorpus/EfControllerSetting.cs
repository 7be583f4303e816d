// A controller that sets the tenant through EF Core with no open connection and no transaction, then queries.
namespace FieldCorpus.Controllers;

public sealed class Batch
{
    public int Id { get; set; }
}

public sealed class BreweryDb(DbContextOptions<BreweryDb> options) : DbContext(options)
{
    public DbSet<Batch> Batches => Set<Batch>();
}

public sealed class BatchController(BreweryDb context)
{
    public async Task<int> CountAsync(Guid tenantId)
    {
        await context.Database.ExecuteSqlRawAsync($"SET app.tenant_id = '{tenantId}'"); // expect: TG1008, TG1012
        return await context.Batches.CountAsync();
    }

    public async Task<int> CountForSlugAsync(string slug)
    {
        await context.Database.ExecuteSqlRawAsync($"SET app.tenant_id = '{slug}'"); // expect: TG1008, TG1009
        return await context.Batches.CountAsync();
    }

    public async Task<int> CountInTransactionAsync(Guid tenantId)
    {
        await using var transaction = await context.Database.BeginTransactionAsync();
        await context.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
        var count = await context.Batches.CountAsync();
        await transaction.CommitAsync();
        return count;
    }
}
