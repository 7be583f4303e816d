// An interceptor that sets its own tenant setting, app.current_tenant, with no migrations in the project: the name
// says it is the tenant. app.request_id says nothing of the kind.
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FieldCorpus.NamedSetting;

public sealed class CurrentTenant
{
    public Guid Id { get; set; }
    public string Slug { get; set; } = "";
}

public sealed class TenantConnectionInterceptor(CurrentTenant tenant) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SET app.current_tenant = '{tenant.Id}'"; // expect: TG1008, TG1012
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SET app.current_tenant = '{tenant.Slug}'"; // expect: TG1008, TG1009
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        await using var trace = connection.CreateCommand();
        trace.CommandText = $"SET app.request_id = '{tenant.Slug}'";
        await trace.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed class OrgSession(NpgsqlConnection connection)
{
    public void Enter(string org, string company) =>
        connection.Execute($"SELECT set_config('app.org_id', '{org}', false), set_config('myapp.company', '{company}', false)"); // expect: TG1008, TG1008, TG1009, TG1009
}
