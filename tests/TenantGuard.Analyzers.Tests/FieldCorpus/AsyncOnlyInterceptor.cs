// Only the asynchronous callback applies the tenant: synchronous opens run without it.
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FieldCorpus.AsyncOnly;

public sealed class TenantConnectionInterceptor(Func<Guid> tenant) : DbConnectionInterceptor
{
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) // expect: TG1011
    {
        if (connection is not NpgsqlConnection npgsql)
        {
            return;
        }

        await using var command = new NpgsqlCommand("SELECT set_config('app.tenant_id', @tenant, false)", npgsql); // expect: TG1008
        command.Parameters.AddWithValue("tenant", tenant().ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
