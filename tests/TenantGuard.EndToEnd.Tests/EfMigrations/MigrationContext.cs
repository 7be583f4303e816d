using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TenantGuard.EndToEnd.Tests.EfMigrations;

/// <summary>
/// A context with no entities whose only job is to run one folder's migrations with EF Core's own migrator: each test's
/// migrations name their own subclass in <c>[DbContext]</c>.
/// </summary>
public abstract class MigrationContext(string connectionString) : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder options) =>
        options.UseNpgsql(connectionString).ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}

public sealed class ApiKeysWithoutRlsContext(string connectionString) : MigrationContext(connectionString);

public sealed class ApiKeysWithRlsContext(string connectionString) : MigrationContext(connectionString);

public sealed class OrdersKeyedByIdContext(string connectionString) : MigrationContext(connectionString);

public sealed class OrdersKeyedByTenantContext(string connectionString) : MigrationContext(connectionString);
