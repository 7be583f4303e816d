// A controller whose actions apply the tenant through two private helpers on the injected EF Core context (the action
// calls a loader, the loader calls the helper that runs set_config): reached only from the actions, with no
// transaction open, the transaction-local setting ends with EF Core's own command. A middleware passes its injected
// context along two helpers the same way. A second controller's loader begins the transaction before it calls the
// helper, which is fine.
using Microsoft.AspNetCore.Http;

namespace FieldCorpus.ControllerHelperChain;

public sealed class Card
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
}

public sealed class BoardDb(DbContextOptions<BoardDb> options) : DbContext(options)
{
    public DbSet<Card> Cards => Set<Card>();
}

public sealed class CardsController(BoardDb db)
{
    public async Task<int> CountAsync(Guid tenantId)
    {
        await LoadTenantAsync(tenantId);
        return await db.Cards.CountAsync();
    }

    public async Task<List<Card>> ListAsync(Guid tenantId)
    {
        await LoadTenantAsync(tenantId);
        return await db.Cards.ToListAsync();
    }

    private async Task LoadTenantAsync(Guid tenantId)
    {
        if (tenantId == Guid.Empty)
        {
            throw new ArgumentException("No tenant.", nameof(tenantId));
        }

        await UseTenantAsync(tenantId);
    }

    private Task UseTenantAsync(Guid tenantId) =>
        db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString()); // expect: TG1007
}

public sealed class BoardTenantMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, BoardDb db)
    {
        await ResolveTenantAsync(context, db);
        await next(context);
    }

    private static Task ResolveTenantAsync(HttpContext context, BoardDb db) =>
        ApplyTenantAsync(db, context.Request.Headers["X-Tenant-Id"].ToString());

    private static Task ApplyTenantAsync(BoardDb db, string tenantId) =>
        db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId); // expect: TG1007
}

public sealed class ArchiveController(BoardDb db)
{
    public async Task<int> ArchiveAsync(Guid tenantId)
    {
        await using var transaction = await BeginForTenantAsync(tenantId);
        var archived = await db.Cards.ExecuteDeleteAsync();
        await transaction.CommitAsync();
        return archived;
    }

    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginForTenantAsync(Guid tenantId)
    {
        var transaction = await db.Database.BeginTransactionAsync();
        await UseTenantAsync(tenantId);
        return transaction;
    }

    private Task UseTenantAsync(Guid tenantId) =>
        db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
}
