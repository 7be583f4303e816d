using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.LocalSettingWithoutTransactionAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// An EF Core context injected into a framework entry point (a middleware, a controller action, a minimal-API
    /// handler, a hosted service, a Quartz job) is in no transaction: no code of the application runs before it, unless a
    /// middleware of the project keeps a transaction open on that context type around the rest of the pipeline.
    /// </summary>
    public class TG1007_EntryPointTests
    {
        private const string Db = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            public sealed class Invoice
            {
                public Guid Id { get; set; }
                public Guid TenantId { get; set; }
            }

            public sealed class AppDbContext : DbContext
            {
                public DbSet<Invoice> Invoices => Set<Invoice>();
            }

            """;

        private const string Services = "using Microsoft.Extensions.DependencyInjection;\n";

        [Fact]
        public Task Middleware_setting_a_local_setting_before_the_pipeline() => Verify.AnalyzerAsync(Db + """
            public sealed class TenantMiddleware
            {
                private readonly RequestDelegate _next;

                public TenantMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, AppDbContext db)
                {
                    var tenantId = context.Request.Headers["X-Tenant-Id"].ToString();
                    await {|TG1007:db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId)|};
                    await _next(context);
                }
            }
            """);

        [Fact]
        public Task Middleware_with_the_context_in_a_field() => Verify.AnalyzerAsync(Db + """
            public sealed class TenantMiddleware : IMiddleware
            {
                private readonly AppDbContext _db;

                public TenantMiddleware(AppDbContext db) => _db = db;

                public async Task InvokeAsync(HttpContext context, RequestDelegate next)
                {
                    {|TG1007:_db.Database.ExecuteSqlRaw("SET LOCAL app.tenant_id = '1'")|};
                    await next(context);
                }
            }
            """);

        [Fact]
        public Task Controller_action() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await {|TG1007:_db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString())|};
                    return await _db.Invoices.CountAsync();
                }
            }
            """);

        [Fact]
        public Task Minimal_api_handler() => Verify.AnalyzerAsync(Db + """
            static class Endpoints
            {
                public static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app) =>
                    app.MapGet("/invoices/{tenantId}", async (Guid tenantId, AppDbContext db) =>
                    {
                        await {|TG1007:db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString())|};
                        return await db.Invoices.CountAsync();
                    });
            }
            """);

        [Fact]
        public Task Hosted_service() => Verify.AnalyzerAsync(Db + """
            public sealed class Cleanup : Microsoft.Extensions.Hosting.BackgroundService
            {
                private readonly IServiceProvider _services;

                public Cleanup(IServiceProvider services) => _services = services;

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(_services);
                    var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AppDbContext>(scope.ServiceProvider);
                    await {|TG1007:db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", "t")|};
                    await db.Invoices.CountAsync(stoppingToken);
                }
            }
            """);

        [Fact]
        public Task Inline_middleware_setting_a_local_setting_before_the_pipeline() => Verify.AnalyzerAsync(Services + Db + """
            static class Pipeline
            {
                public static void Configure(IApplicationBuilder app) =>
                    app.Use(async (context, next) =>
                    {
                        var db = context.RequestServices.GetRequiredService<AppDbContext>();
                        await {|TG1007:db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", context.Request.Headers["X-Tenant-Id"].ToString())|};
                        await next(context);
                    });
            }
            """);

        [Fact]
        public Task Controller_behind_an_inline_middleware_that_commits_before_the_pipeline() => Verify.AnalyzerAsync(Services + Db + """
            static class Pipeline
            {
                public static void Configure(IApplicationBuilder app) =>
                    app.Use(async (context, next) =>
                    {
                        var db = context.RequestServices.GetRequiredService<AppDbContext>();
                        await using (var transaction = await db.Database.BeginTransactionAsync())
                        {
                            await transaction.CommitAsync();
                        }

                        await next(context);
                    });
            }

            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await {|TG1007:_db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString())|};
                    return await _db.Invoices.CountAsync();
                }
            }
            """);

        [Fact]
        public Task Private_helper_of_a_controller_called_only_by_its_actions() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await ApplyTenantAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                public async Task<List<Invoice>> List(Guid tenantId)
                {
                    await this.ApplyTenantAsync(tenantId);
                    return await _db.Invoices.ToListAsync();
                }

                private Task ApplyTenantAsync(Guid tenantId) =>
                    {|TG1007:_db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString())|};
            }
            """);

        [Fact]
        public Task Internal_helper_of_a_middleware_given_the_injected_context() => Verify.AnalyzerAsync(Db + """
            public sealed class TenantMiddleware
            {
                private readonly RequestDelegate _next;

                public TenantMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, AppDbContext db)
                {
                    await ApplyAsync(db, context.Request.Headers["X-Tenant-Id"].ToString());
                    await _next(context);
                }

                internal static async Task ApplyAsync(AppDbContext db, string tenantId)
                {
                    await {|TG1007:db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId)|};
                }
            }
            """);

        [Fact]
        public Task Private_helper_reached_through_another_helper() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await PrepareAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                public async Task<List<Invoice>> List(Guid tenantId)
                {
                    await PrepareAsync(tenantId);
                    return await _db.Invoices.ToListAsync();
                }

                private async Task PrepareAsync(Guid tenantId)
                {
                    await _db.Database.ExecuteSqlRawAsync("SELECT 1");
                    await ApplyTenantAsync(tenantId);
                }

                private Task ApplyTenantAsync(Guid tenantId) =>
                    {|TG1007:_db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString())|};
            }
            """);

        [Fact]
        public Task Helpers_of_a_middleware_passing_the_injected_context_along() => Verify.AnalyzerAsync(Db + """
            public sealed class TenantMiddleware
            {
                private readonly RequestDelegate _next;

                public TenantMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, AppDbContext db)
                {
                    await PrepareAsync(db, context.Request.Headers["X-Tenant-Id"].ToString());
                    await _next(context);
                }

                private static Task PrepareAsync(AppDbContext db, string tenantId) => ApplyAsync(db, tenantId);

                internal static async Task ApplyAsync(AppDbContext db, string tenantId)
                {
                    await {|TG1007:db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId)|};
                }
            }
            """);

        [Fact]
        public Task Private_helper_three_helpers_deep() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController(AppDbContext db)
            {
                public async Task<int> Count(Guid tenantId)
                {
                    await FirstAsync(tenantId);
                    return await db.Invoices.CountAsync();
                }

                private Task FirstAsync(Guid tenantId) => SecondAsync(tenantId);

                private Task SecondAsync(Guid tenantId) => ApplyTenantAsync(tenantId);

                private Task ApplyTenantAsync(Guid tenantId) =>
                    {|TG1007:db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString())|};
            }
            """);

        // ---- not flagged ----

        [Fact]
        public Task Helper_of_a_helper_also_called_by_a_method_that_is_no_entry_point() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await PrepareAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                internal async Task<int> CountInTransaction(Guid tenantId)
                {
                    await using var transaction = await _db.Database.BeginTransactionAsync();
                    await ApplyTenantAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                private Task PrepareAsync(Guid tenantId) => ApplyTenantAsync(tenantId);

                private Task ApplyTenantAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Helper_whose_calling_helper_is_also_called_by_a_public_method_of_a_middleware() => Verify.AnalyzerAsync(Db + """
            public sealed class TenantMiddleware
            {
                private readonly RequestDelegate _next;

                public TenantMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, AppDbContext db)
                {
                    await PrepareAsync(db, "t");
                    await _next(context);
                }

                public Task WarmUpAsync(AppDbContext db) => PrepareAsync(db, "t");

                private static Task PrepareAsync(AppDbContext db, string tenantId) => ApplyAsync(db, tenantId);

                private static Task ApplyAsync(AppDbContext db, string tenantId) =>
                    db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId);
            }
            """);

        [Fact]
        public Task Helper_called_by_a_helper_inside_the_transaction_it_began() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await using var transaction = await PrepareAsync(tenantId);
                    var count = await _db.Invoices.CountAsync();
                    await transaction.CommitAsync();
                    return count;
                }

                private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> PrepareAsync(Guid tenantId)
                {
                    var transaction = await _db.Database.BeginTransactionAsync();
                    await ApplyTenantAsync(tenantId);
                    return transaction;
                }

                private Task ApplyTenantAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Helper_called_by_a_helper_after_a_unit_of_work_began_the_transaction() => Verify.AnalyzerAsync(Db + """
            public interface IUnitOfWork
            {
                Task BeginAsync();
            }

            public sealed class UnitOfWork(AppDbContext db) : IUnitOfWork
            {
                public async Task BeginAsync() => await db.Database.BeginTransactionAsync();
            }

            public sealed class InvoicesController(AppDbContext db, IUnitOfWork work)
            {
                public async Task<int> Count(Guid tenantId)
                {
                    await PrepareAsync(tenantId);
                    return await db.Invoices.CountAsync();
                }

                private async Task PrepareAsync(Guid tenantId)
                {
                    await work.BeginAsync();
                    await ApplyTenantAsync(tenantId);
                }

                private Task ApplyTenantAsync(Guid tenantId) =>
                    db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Helpers_calling_each_other() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController(AppDbContext db)
            {
                public async Task<int> Count(Guid tenantId, int depth)
                {
                    await FirstAsync(tenantId, depth);
                    return await db.Invoices.CountAsync();
                }

                private async Task FirstAsync(Guid tenantId, int depth)
                {
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.user_id', {0}, true)", tenantId.ToString());
                    await SecondAsync(tenantId, depth);
                }

                private async Task SecondAsync(Guid tenantId, int depth)
                {
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
                    if (depth > 0)
                    {
                        await FirstAsync(tenantId, depth - 1);
                    }
                }
            }
            """);

        [Fact]
        public Task Helper_deeper_than_three_helpers() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController(AppDbContext db)
            {
                public async Task<int> Count(Guid tenantId)
                {
                    await FirstAsync(tenantId);
                    return await db.Invoices.CountAsync();
                }

                private Task FirstAsync(Guid tenantId) => SecondAsync(tenantId);

                private Task SecondAsync(Guid tenantId) => ThirdAsync(tenantId);

                private Task ThirdAsync(Guid tenantId) => ApplyTenantAsync(tenantId);

                private Task ApplyTenantAsync(Guid tenantId) =>
                    db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Private_helper_also_called_by_a_method_that_is_no_entry_point() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await ApplyTenantAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                internal async Task<int> CountInTransaction(Guid tenantId)
                {
                    await using var transaction = await _db.Database.BeginTransactionAsync();
                    await ApplyTenantAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                private Task ApplyTenantAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Private_helper_called_by_an_action_inside_its_transaction() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await using var transaction = await _db.Database.BeginTransactionAsync();
                    await ApplyTenantAsync(tenantId);
                    var count = await _db.Invoices.CountAsync();
                    await transaction.CommitAsync();
                    return count;
                }

                public async Task<int> CountAgain(Guid tenantId)
                {
                    await ApplyTenantAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                private Task ApplyTenantAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Private_helper_after_a_unit_of_work_began_the_transaction() => Verify.AnalyzerAsync(Db + """
            public interface IUnitOfWork
            {
                Task BeginAsync();
            }

            public sealed class UnitOfWork : IUnitOfWork
            {
                private readonly AppDbContext _db;

                public UnitOfWork(AppDbContext db) => _db = db;

                public async Task BeginAsync() => await _db.Database.BeginTransactionAsync();
            }

            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;
                private readonly IUnitOfWork _work;

                public InvoicesController(AppDbContext db, IUnitOfWork work)
                {
                    _db = db;
                    _work = work;
                }

                public async Task<int> Count(Guid tenantId)
                {
                    await _work.BeginAsync();
                    await ApplyTenantAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                private Task ApplyTenantAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Private_helper_used_in_a_lambda_or_as_a_method_group() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await ApplyTenantAsync(tenantId);
                    Func<Guid, Task> apply = ApplyTenantAsync;
                    await apply(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                public Task Later(Guid tenantId) => Task.Run(() => ApplyTenantAsync(tenantId));

                private Task ApplyTenantAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Private_helper_of_a_controller_behind_a_middleware_that_keeps_a_transaction_open() => Verify.AnalyzerAsync(Db + """
            public sealed class RequestTransaction
            {
                private readonly RequestDelegate _next;

                public RequestTransaction(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, AppDbContext db)
                {
                    await using var transaction = await db.Database.BeginTransactionAsync();
                    await _next(context);
                    await transaction.CommitAsync();
                }
            }

            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await ApplyTenantAsync(tenantId);
                    return await _db.Invoices.CountAsync();
                }

                private Task ApplyTenantAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task Helper_given_another_context_than_the_injected_one() => Verify.AnalyzerAsync(Db + """
            public sealed class TenantMiddleware
            {
                private readonly RequestDelegate _next;
                private static readonly AsyncLocal<AppDbContext?> Ambient = new();

                public TenantMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, AppDbContext db)
                {
                    await ApplyAsync(Ambient.Value!, "t");
                    await _next(context);
                }

                private static async Task ApplyAsync(AppDbContext db, string tenantId)
                {
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId);
                }
            }
            """);

        [Theory]
        [InlineData("await next(context);")]
        [InlineData("await next();")]
        [InlineData("await next.Invoke();")]
        public Task Controller_behind_an_inline_middleware_that_keeps_a_transaction_open_on_its_context(string callNext) => Verify.AnalyzerAsync(Services + Db + """
            static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.UseRouting();
                    app.Use(async (context, next) =>
                    {
                        var db = context.RequestServices.GetRequiredService<AppDbContext>();
                        await using var transaction = await db.Database.BeginTransactionAsync();
                        await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", context.Request.Headers["X-Tenant-Id"].ToString());
                        CALL_NEXT
                        await transaction.CommitAsync();
                    });
                }
            }

            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> CountForUser(Guid userId)
                {
                    await _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.user_id', {0}, true)", userId.ToString());
                    return await _db.Invoices.CountAsync();
                }
            }

            static class Endpoints
            {
                public static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app) =>
                    app.MapGet("/invoices/{userId}", async (Guid userId, AppDbContext db) =>
                    {
                        await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.user_id', {0}, true)", userId.ToString());
                        return await db.Invoices.CountAsync();
                    });
            }
            """.Replace("CALL_NEXT", callNext));


        [Fact]
        public Task Middleware_that_begins_the_transaction_first() => Verify.AnalyzerAsync(Db + """
            public sealed class TenantMiddleware
            {
                private readonly RequestDelegate _next;

                public TenantMiddleware(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, AppDbContext db)
                {
                    await using var transaction = await db.Database.BeginTransactionAsync();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", context.Request.Headers["X-Tenant-Id"].ToString());
                    await _next(context);
                    await transaction.CommitAsync();
                }
            }
            """);

        [Fact]
        public Task Controller_behind_a_middleware_that_keeps_a_transaction_open_on_its_context() => Verify.AnalyzerAsync(Db + """
            public sealed class RequestTransaction
            {
                private readonly RequestDelegate _next;

                public RequestTransaction(RequestDelegate next) => _next = next;

                public async Task InvokeAsync(HttpContext context, AppDbContext db)
                {
                    await using var transaction = await db.Database.BeginTransactionAsync();
                    await _next(context);
                    await transaction.CommitAsync();
                }
            }

            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
                    return await _db.Invoices.CountAsync();
                }
            }
            """);

        [Fact]
        public Task A_service_the_request_calls_is_the_callers() => Verify.AnalyzerAsync(Db + """
            public sealed class TenantScope
            {
                private readonly AppDbContext _db;

                public TenantScope(AppDbContext db) => _db = db;

                public Task ApplyAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);

        [Fact]
        public Task A_non_action_method_of_a_controller_is_the_callers() => Verify.AnalyzerAsync(Db + """
            public sealed class InvoicesController
            {
                private readonly AppDbContext _db;

                public InvoicesController(AppDbContext db) => _db = db;

                private Task ApplyAsync(Guid tenantId) =>
                    _db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
            }
            """);
    }
}
