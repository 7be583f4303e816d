using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// EF Core: a session setting applied while the context's connection is closed ends with EF Core's own command (it
    /// opens the connection for it and closes it afterwards); a LINQ query over an entity with a <c>TenantId</c>
    /// property that follows runs without it, whether or not the entity's table is in the catalog.
    /// </summary>
    public class TG1001_EfClosedConnectionTests
    {
        private const string Db = """
            public sealed class Note
            {
                public Guid Id { get; set; }
                public Guid TenantId { get; set; }
            }

            public sealed class NotesDb : DbContext
            {
                public NotesDb(DbContextOptions<NotesDb> options) : base(options) { }

                public DbSet<Note> Notes => Set<Note>();
            }

            """;

        [Fact]
        public Task Context_from_a_factory() => Verify.AnalyzerAsync(Db + """
            class Repository
            {
                async Task<List<Note>> M(IDbContextFactory<NotesDb> factory, Guid tenantId)
                {
                    await using var db = await factory.CreateDbContextAsync();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString());
                    return await {|TG1001:db.Notes.ToListAsync()|};
                }
            }
            """);

        [Fact]
        public Task Context_of_a_controller() => Verify.AnalyzerAsync(
            Db + """
            public sealed class NotesController
            {
                private readonly NotesDb _db;

                public NotesController(NotesDb db) => _db = db;

                public Task<int> Count(Guid tenantId)
                {
                    _db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString());
                    return {|#0:_db.Notes.CountAsync()|};
                }
            }
            """,
            System.Array.Empty<(string, string)>(),
            Verify.Diagnostic("TG1001").WithLocation(0).WithArguments(
                "EntityFrameworkQueryableExtensions.CountAsync", "tenant_id", "the tenant setting",
                "EF Core closed the connection after the command that set it (the method opens neither the connection nor a transaction), and the pool reset it"));

        [Fact]
        public Task Entity_whose_table_is_in_no_migration_of_the_catalog() => Verify.AnalyzerAsync(
            Db + """
            class Repository
            {
                async Task<int> M(IDbContextFactory<NotesDb> factory, Guid tenantId)
                {
                    await using var db = await factory.CreateDbContextAsync();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString());
                    return await {|TG1001:db.Notes.CountAsync()|};
                }
            }
            """,
            System.Array.Empty<(string, string)>(),
            new[]
            {
                ("/migrations/001_schema.sql", """
                    CREATE TABLE invoices (id uuid PRIMARY KEY, tenant_id uuid NOT NULL);
                    ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY invoices_tenant ON invoices USING (tenant_id = current_setting('app.tenant_id', true)::uuid);
                    """),
            });

        // ---- not flagged ----

        [Fact]
        public Task Connection_opened_by_the_method() => Verify.AnalyzerAsync(Db + """
            public sealed class NotesController
            {
                private readonly NotesDb _db;

                public NotesController(NotesDb db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await _db.Database.OpenConnectionAsync();
                    _db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString());
                    return await _db.Notes.CountAsync();
                }
            }
            """);

        [Fact]
        public Task Context_of_a_service_is_the_callers() => Verify.AnalyzerAsync(Db + """
            public sealed class NotesService
            {
                private readonly NotesDb _db;

                public NotesService(NotesDb db) => _db = db;

                public Task<int> Count(Guid tenantId)
                {
                    _db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString());
                    return _db.Notes.CountAsync();
                }
            }
            """);

        [Fact]
        public Task Context_of_a_controller_behind_an_inline_middleware_that_keeps_a_transaction_open() => Verify.AnalyzerAsync(Db + """
            static class Pipeline
            {
                public static void Configure(Microsoft.AspNetCore.Builder.IApplicationBuilder app) =>
                    Microsoft.AspNetCore.Builder.UseExtensions.Use(app, async (context, next) =>
                    {
                        var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<NotesDb>(context.RequestServices);
                        await using var transaction = await db.Database.BeginTransactionAsync();
                        await next();
                        await transaction.CommitAsync();
                    });
            }

            public sealed class NotesController
            {
                private readonly NotesDb _db;

                public NotesController(NotesDb db) => _db = db;

                public Task<int> Count(Guid tenantId)
                {
                    _db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenantId.ToString());
                    return _db.Notes.CountAsync();
                }
            }
            """);

        [Fact]
        public Task Context_of_a_private_helper_that_only_actions_call() => Verify.AnalyzerAsync(Db + """
            public sealed class NotesController
            {
                private readonly NotesDb _db;

                public NotesController(NotesDb db) => _db = db;

                public Task<int> Count(Guid tenantId) => CountForTenant(tenantId);

                private Task<int> CountForTenant(Guid tenantId)
                {
                    _db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString());
                    return {|TG1001:_db.Notes.CountAsync()|};
                }
            }
            """);

        [Fact]
        public Task Context_of_a_private_helper_reached_through_another_helper() => Verify.AnalyzerAsync(Db + """
            public sealed class NotesController
            {
                private readonly NotesDb _db;

                public NotesController(NotesDb db) => _db = db;

                public Task<int> Count(Guid tenantId) => CountChecked(tenantId);

                private Task<int> CountChecked(Guid tenantId) => CountForTenant(tenantId);

                private Task<int> CountForTenant(Guid tenantId)
                {
                    _db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString());
                    return {|TG1001:_db.Notes.CountAsync()|};
                }
            }
            """);

        [Fact]
        public Task Context_of_a_private_helper_an_action_calls_inside_its_transaction() => Verify.AnalyzerAsync(Db + """
            public sealed class NotesController
            {
                private readonly NotesDb _db;

                public NotesController(NotesDb db) => _db = db;

                public async Task<int> Count(Guid tenantId)
                {
                    await using var transaction = await _db.Database.BeginTransactionAsync();
                    var count = await CountForTenant(tenantId);
                    await transaction.CommitAsync();
                    return count;
                }

                private Task<int> CountForTenant(Guid tenantId)
                {
                    _db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString());
                    return _db.Notes.CountAsync();
                }
            }
            """);
    }
}
