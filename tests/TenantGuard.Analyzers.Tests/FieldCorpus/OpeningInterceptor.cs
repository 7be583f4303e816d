// The tenant applied in ConnectionOpening, before the connection is open, behind a guard and a logging catch.
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FieldCorpus.Opening;

public sealed class TenantRlsInterceptor(Func<Guid?> currentTenant, ILogger<TenantRlsInterceptor> logger) : DbConnectionInterceptor
{
    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        SetTenantSessionVariable(connection); // expect: TG1011
        return result;
    }

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        SetTenantSessionVariable(connection); // expect: TG1011
        return await base.ConnectionOpeningAsync(connection, eventData, result, cancellationToken);
    }

    private void SetTenantSessionVariable(DbConnection connection)
    {
        if (connection.State != ConnectionState.Open || currentTenant() is not { } tenant)
        {
            return;
        }

        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT set_config('app.tenant_id', @tenant, false)"; // expect: TG1008
            var parameter = command.CreateParameter();
            parameter.ParameterName = "tenant";
            parameter.Value = tenant.ToString();
            command.Parameters.Add(parameter);
            command.ExecuteNonQuery();
        }
        catch (InvalidOperationException ex)
        {
            logger.LogError(ex, "Could not set the tenant");
        }
    }
}
