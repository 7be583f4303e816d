// Inline middleware (app.Use(async (context, next) => ...)) that sets the tenant transaction-locally on the request's
// EF Core context and calls the rest of the pipeline with no transaction open: the setting ends with EF Core's own
// command, and a controller's transaction-local setting on that context is in no transaction either.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FieldCorpus.InlineMiddleware;

public sealed class Document
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
}

public sealed class DocsDb(DbContextOptions<DocsDb> options) : DbContext(options)
{
    public DbSet<Document> Documents => Set<Document>();
}

public static class Startup
{
    public static void Configure(IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            var db = context.RequestServices.GetRequiredService<DocsDb>();
            var tenantId = context.Request.Headers["X-Tenant-Id"].ToString();
            await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId); // expect: TG1007
            await next.Invoke();
        });
    }
}

public sealed class DocumentsController(DocsDb db)
{
    public async Task<int> CountAsync(Guid tenantId)
    {
        await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString()); // expect: TG1007
        return await db.Documents.CountAsync(); // expect: TG1001
    }
}
