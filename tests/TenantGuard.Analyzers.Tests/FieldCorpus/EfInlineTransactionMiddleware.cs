// Inline middleware in the application's startup (app.Use(async (context, next) => ...)) that opens a transaction on
// the request's EF Core context, resolved from the request's services, around the rest of the pipeline: the
// controllers' and handlers' transaction-local settings on that context run inside it.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FieldCorpus.InlineRequestTransaction;

public sealed class Ticket
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
}

public sealed class HelpdeskDb(DbContextOptions<HelpdeskDb> options) : DbContext(options)
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
}

public static class Startup
{
    public static void Configure(IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            var db = context.RequestServices.GetRequiredService<HelpdeskDb>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", context.Request.Headers["X-Tenant-Id"].ToString());
            await next(); // expect: TG1005
            await transaction.CommitAsync();
        });
    }
}

public sealed class TicketsController(HelpdeskDb db)
{
    public async Task<int> CountAssignedAsync(Guid userId)
    {
        await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.user_id', {0}, true)", userId.ToString());
        return await db.Tickets.CountAsync();
    }
}
