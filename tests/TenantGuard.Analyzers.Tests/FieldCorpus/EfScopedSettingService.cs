// A service that applies the tenant on the EF Core context it is given; its callers begin the transaction first.
namespace FieldCorpus.ScopedService;

public sealed class Ticket
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
}

public sealed class HelpdeskDb(DbContextOptions<HelpdeskDb> options) : DbContext(options)
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
}

public sealed class TenantScope(HelpdeskDb db)
{
    public Task ApplyAsync(Guid tenantId) =>
        db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
}

public sealed class TicketService(HelpdeskDb db, TenantScope scope)
{
    public async Task<int> CountAsync(Guid tenantId)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await scope.ApplyAsync(tenantId);
        var count = await db.Tickets.CountAsync();
        await transaction.CommitAsync();
        return count;
    }
}
