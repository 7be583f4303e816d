using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG1001 on EF Core LINQ over tenant entities, after the method set the tenant through EF Core.</summary>
    public class TG1001_EfCoreQueryTests
    {
        private const string Model = """
            class Contact { public int Id { get; set; } public Guid TenantId { get; set; } public string Name { get; set; } = ""; }

            [System.ComponentModel.DataAnnotations.Schema.Table("invoices")]
            class Invoice { public int Id { get; set; } }

            class Country { public int Id { get; set; } }

            class AppDb : DbContext
            {
                public DbSet<Contact> Contacts => Set<Contact>();
                public DbSet<Invoice> Invoices => Set<Invoice>();
                public DbSet<Country> Countries => Set<Country>();
            }

            """;

        private static readonly (string, string)[] Options = { ("tenantguard.tenant_tables", "invoices") };

        [Fact]
        public Task Session_setting_lost_when_ef_closes_the_connection() => Verify.AnalyzerAsync(Model + """
            class C
            {
                async Task<int> M(string tenant)
                {
                    await using var db = new AppDb();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                    return await {|TG1001:db.Contacts.CountAsync()|};
                }
            }
            """, Options);

        [Fact]
        public Task Message_says_ef_core_closed_the_connection() => Verify.AnalyzerAsync(
            Model + """
            class C
            {
                int M(string tenant)
                {
                    using var db = new AppDb();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                    return db.Contacts.Count();
                }
            }
            """,
            Options,
            Verify.Diagnostic("TG1001").WithSpan(20, 16, 20, 35).WithArguments(
                "Queryable.Count", "tenant_id", "the tenant setting",
                "EF Core closed the connection after the command that set it (the method opens neither the connection nor a transaction), and the pool reset it"));

        [Fact]
        public Task Mapped_table_through_an_attribute_and_query_operators() => Verify.AnalyzerAsync(Model + """
            class C
            {
                List<Invoice> M(AppDb unused)
                {
                    using var db = new AppDb();
                    var first = {|TG1001:db.Invoices.Where(i => i.Id > 1).OrderBy(i => i.Id).FirstOrDefault()|};
                    {|TG1001:db.Set<Invoice>().ExecuteDelete()|};
                    return {|TG1001:db.Invoices.ToList()|};
                }
            }
            """, Options);

        [Fact]
        public Task Save_changes_writes_the_tenant_tables() => Verify.AnalyzerAsync(Model + """
            class C
            {
                async Task M(string tenant)
                {
                    await using var db = new AppDb();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    db.Contacts.Add(new Contact { Name = "Ada" });
                    await {|TG1001:db.SaveChangesAsync()|};
                }
            }
            """, Options);

        [Fact]
        public Task Foreach_over_a_query_runs_it() => Verify.AnalyzerAsync(Model + """
            class C
            {
                void M(string tenant)
                {
                    using var db = new AppDb();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                    foreach (var contact in {|TG1001:db.Contacts.Where(c => c.Name != "")|})
                    {
                    }

                    foreach (var invoice in {|TG1001:db.Set<Invoice>().OrderBy(i => i.Id)|})
                    {
                    }

                    foreach (var contact in {|TG1001:db.Contacts.ToList()|})
                    {
                    }

                    foreach (var contact in {|TG1001:db.Contacts|})
                    {
                    }

                    foreach (var n in new[] { 1, 2 }.Where(n => n > 1))
                    {
                    }
                }
            }
            """, Options);

        [Fact]
        public Task Foreach_over_a_query_in_a_transaction_is_clean() => Verify.AnalyzerAsync(Model + """
            class C
            {
                void M(string tenant)
                {
                    using var db = new AppDb();
                    using var tx = db.Database.BeginTransaction();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    foreach (var contact in db.Contacts.Where(c => c.Name != ""))
                    {
                    }

                    tx.Commit();
                }
            }
            """, Options);

        [Fact]
        public Task Transaction_local_setting_ends_with_the_commit() => Verify.AnalyzerAsync(
            Model + """
            class C
            {
                async Task<int> M(string tenant)
                {
                    await using var db = new AppDb();
                    await db.Database.OpenConnectionAsync();
                    await using (var tx = await db.Database.BeginTransactionAsync())
                    {
                        await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                        await db.Contacts.CountAsync();
                        await tx.CommitAsync();
                    }

                    return await db.Contacts.CountAsync();
                }
            }
            """,
            Options,
            Verify.Diagnostic("TG1001").WithSpan(27, 22, 27, 46).WithArguments(
                "EntityFrameworkQueryableExtensions.CountAsync", "tenant_id", "the tenant setting", "the transaction that carried the setting has ended (commit or rollback)"));

        [Fact]
        public Task Opened_connection_keeps_the_setting() => Verify.AnalyzerAsync(Model + """
            class C
            {
                async Task<int> M(string tenant)
                {
                    await using var db = new AppDb();
                    await db.Database.OpenConnectionAsync();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                    return await db.Contacts.CountAsync();
                }
            }
            """, Options);

        [Fact]
        public Task Transaction_keeps_the_setting() => Verify.AnalyzerAsync(Model + """
            class C
            {
                async Task<int> M(string tenant)
                {
                    await using var db = new AppDb();
                    await using var tx = await db.Database.BeginTransactionAsync();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    var count = await db.Contacts.CountAsync();
                    await tx.CommitAsync();
                    return count;
                }
            }
            """, Options);

        [Fact]
        public Task Injected_contexts_and_other_entities_are_not_flagged() => Verify.AnalyzerAsync(Model + """
            class Service(AppDb db)
            {
                public int Countries()
                {
                    using var own = new AppDb();
                    return own.Countries.Count();
                }

                public Task<List<Contact>> Contacts() => db.Contacts.ToListAsync();
            }
            """, Options);

        [Fact]
        public Task Interceptor_mode_leaves_ef_core_to_the_interceptor() => Verify.AnalyzerAsync(Model + """
            class C
            {
                int M()
                {
                    using var db = new AppDb();
                    return db.Contacts.Count();
                }
            }
            """, ("tenantguard.efcore_context", "interceptor"));

        [Fact]
        public Task Contexts_from_the_projects_factory_and_from_IDbContextFactory_are_fresh() => Verify.AnalyzerAsync(Model + """
            static class Contexts
            {
                public static AppDb Create() => new AppDb();

                public static AppDb CreateForTenant(string tenant)
                {
                    var db = new AppDb();
                    db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                    return db;
                }
            }

            class C(IDbContextFactory<AppDb> factory)
            {
                async Task<int> Own(string tenant)
                {
                    await using var db = Contexts.Create();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                    return await {|TG1001:db.Contacts.CountAsync()|};
                }

                async Task<int> Factory(string tenant)
                {
                    await using var db = await factory.CreateDbContextAsync();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, false)", tenant);
                    return await {|TG1001:db.Contacts.CountAsync()|};
                }

                async Task<int> InTransaction(string tenant)
                {
                    await using var db = await factory.CreateDbContextAsync();
                    await using var tx = await db.Database.BeginTransactionAsync();
                    await db.Database.ExecuteSqlRawAsync("SELECT set_config('app.tenant_id', {0}, true)", tenant);
                    return await db.Contacts.CountAsync();
                }

                async Task<int> Applied(string tenant)
                {
                    await using var db = Contexts.CreateForTenant(tenant);
                    return await db.Contacts.CountAsync();
                }
            }
            """, Options);
    }
}
