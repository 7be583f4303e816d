// The working shape: a session-level setting in both ConnectionOpened callbacks (Npgsql resets it on return to the pool).
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FieldCorpus.Correct;

public sealed class RlsInterceptor(Func<Guid> tenant) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SET app.tenant_id = '{tenant()}'"; // expect: TG1008, TG1012
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SET app.tenant_id = '{tenant()}'"; // expect: TG1008, TG1012
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
