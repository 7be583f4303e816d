// Middleware that opens a transaction on the request's EF Core context around the rest of the pipeline: the
// controllers' transaction-local settings on that context run inside it.
using Microsoft.AspNetCore.Http;

namespace FieldCorpus.RequestTransaction;

public sealed class Order
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
}

public sealed class ShopDb(DbContextOptions<ShopDb> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
}

public sealed class RequestTransactionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ShopDb db)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", context.Request.Headers["X-Tenant-Id"].ToString());
        await next(context); // expect: TG1005
        await transaction.CommitAsync();
    }
}

public sealed class OrdersController(ShopDb db)
{
    public async Task<int> CountForUserAsync(Guid userId)
    {
        await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.user_id', {0}, true)", userId.ToString());
        return await db.Orders.CountAsync();
    }
}
