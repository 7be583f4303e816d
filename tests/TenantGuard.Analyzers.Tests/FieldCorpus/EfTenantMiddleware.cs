// ASP.NET Core middleware that sets the tenant transaction-locally on the request's EF Core context and calls the
// rest of the pipeline: no transaction is open, so the setting ends with EF Core's own command.
using Microsoft.AspNetCore.Http;

namespace FieldCorpus.Middleware;

public sealed class Invoice
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
}

public sealed class BillingDb(DbContextOptions<BillingDb> options) : DbContext(options)
{
    public DbSet<Invoice> Invoices => Set<Invoice>();
}

public sealed class TenantMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, BillingDb db)
    {
        var tenantId = context.Request.Headers["X-Tenant-Id"].ToString();
        await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId); // expect: TG1007
        await next(context);
    }
}

public sealed class InvoiceEndpoints(BillingDb db)
{
    // A service of the request: the middleware above decides what its context carries.
    public Task<int> CountAsync() => db.Invoices.CountAsync();
}
