// EF Core: a session setting applied while the context's connection is closed, then a LINQ query over an entity with
// a TenantId property (its table is in no migration).
namespace FieldCorpus.ClosedConnection;

public sealed class Note
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public string Text { get; set; } = "";
}

public sealed class NotesDb(DbContextOptions<NotesDb> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();
}

public sealed class NotesRepository(IDbContextFactory<NotesDb> factory)
{
    public async Task<List<Note>> ListAsync(Guid tenantId)
    {
        await using var db = await factory.CreateDbContextAsync();
        db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString()); // expect: TG1008
        return await db.Notes.ToListAsync(); // expect: TG1001
    }

    public async Task<List<Note>> ListOpenedAsync(Guid tenantId)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString()); // expect: TG1008
        return await db.Notes.ToListAsync();
    }
}

public sealed class NotesController(NotesDb db)
{
    public async Task<int> CountAsync(Guid tenantId)
    {
        db.Database.ExecuteSqlRaw("SELECT set_config('app.tenant_id', {0}, false)", tenantId.ToString()); // expect: TG1008
        return await db.Notes.CountAsync(); // expect: TG1001
    }
}
