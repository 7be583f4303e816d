// A store whose with-tenant wrapper opens a transaction, applies the tenant setting transaction-locally and hands the
// connection to a callback; the callbacks add a setting of their own. A second wrapper applies nothing.
namespace FieldCorpus.Wrappers;

public static class Rls
{
    public const string Policies = """
        ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
        ALTER TABLE projects FORCE ROW LEVEL SECURITY;
        CREATE POLICY projects_tenant ON projects
            USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
        ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
        ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
        CREATE POLICY notifications_user ON notifications
            USING (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')::uuid));
        """;
}

public sealed class Project
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
}

public sealed class TenantStore(NpgsqlDataSource dataSource)
{
    public async Task<T> InTenantTransactionAsync<T>(Guid tenantId, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenantId.ToString() }, transaction);
        var result = await work(connection, transaction);
        await transaction.CommitAsync();
        return result;
    }

    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var result = await work(connection, transaction);
        await transaction.CommitAsync();
        return result;
    }
}

public sealed class ProjectService(TenantStore store)
{
    public Task<IEnumerable<Project>> ListMineAsync(Guid tenantId, Guid userId) =>
        store.InTenantTransactionAsync(tenantId, async (connection, transaction) =>
        {
            await connection.ExecuteAsync("SELECT set_config('app.user_id', @user, true)", new { user = userId.ToString() }, transaction);
            return await connection.QueryAsync<Project>("SELECT id, name FROM projects", transaction: transaction);
        });

    public Task<int> CountAsync(Guid tenantId) =>
        store.InTenantTransactionAsync(tenantId, (connection, transaction) =>
            connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction));

    public Task<int> CountEverywhereAsync() =>
        store.InTransactionAsync((connection, transaction) =>
            connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction)); // expect: TG1001

    public Task<int> CountForAsync(Guid tenantId) =>
        store.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenantId.ToString() }, transaction);
            return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
        });

    public Task<int> RenameAsync(Guid tenantId, Guid id, string name) =>
        store.InTenantTransactionAsync(tenantId, (connection, transaction) => RenameInAsync(connection, transaction, id, name));

    public Task<int> ArchiveAsync(Guid tenantId) => store.InTenantTransactionAsync(tenantId, ArchiveInAsync);

    public Task<int> PurgeAsync() => store.InTransactionAsync(PurgeInAsync);

    private static async Task<int> ArchiveInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await connection.ExecuteAsync("SELECT set_config('app.user_id', @user, true)", new { user = Guid.Empty.ToString() }, transaction);
        return await connection.ExecuteAsync("UPDATE projects SET name = name || ' (archived)'", transaction: transaction);
    }

    private static Task<int> PurgeInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        connection.ExecuteAsync("DELETE FROM projects", transaction: transaction); // expect: TG1001

    private static Task<int> RenameInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string name) =>
        connection.ExecuteAsync("UPDATE projects SET name = @name WHERE id = @id", new { id, name }, transaction);
}
