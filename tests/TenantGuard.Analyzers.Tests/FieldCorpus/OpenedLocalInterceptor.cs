// A transaction-local setting in ConnectionOpened: no transaction is open when a connection opens.
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FieldCorpus.OpenedLocal;

public sealed class TenantDbConnectionInterceptor(Func<string> tenant) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SET LOCAL app.tenant_id = '{tenant()}'"; // expect: TG1011, TG1009
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT set_config('app.tenant_id', @tenant, true)"; // expect: TG1011
        var parameter = command.CreateParameter();
        parameter.ParameterName = "tenant";
        parameter.Value = tenant();
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
