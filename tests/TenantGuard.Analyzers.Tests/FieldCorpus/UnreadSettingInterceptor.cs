// An EF Core interceptor that sets app.current_tenant on every connection, while every policy reads
// app.current_tenant_id through the function app.current_tenant_id(): the policies never see the tenant. The audit
// setting next to the right one in another service is not the tenant, and is left alone.
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FieldCorpus.UnreadSetting;

public static class Schema
{
    public const string Rls = """
        CREATE FUNCTION app.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE
            AS $f$ SELECT NULLIF(current_setting('app.current_tenant_id', true), '')::uuid $f$;
        ALTER TABLE app.documents ENABLE ROW LEVEL SECURITY;
        ALTER TABLE app.documents FORCE ROW LEVEL SECURITY;
        CREATE POLICY documents_tenant ON app.documents USING (tenant_id = app.current_tenant_id()); -- // expect: TG2006
        """;
}

public sealed class CurrentTenant
{
    public Guid Id { get; set; }
}

public sealed class TenantConnectionInterceptor(CurrentTenant tenant) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = Command(connection); // expect: TG1013
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = Command(connection); // expect: TG1013
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    // The command's text is reported where each callback executes it.
    private DbCommand Command(DbConnection connection)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT set_config('app.current_tenant', @tenant, false)";
        var parameter = cmd.CreateParameter();
        parameter.ParameterName = "tenant";
        parameter.Value = tenant.Id.ToString();
        cmd.Parameters.Add(parameter);
        return cmd;
    }
}

public sealed class AuditedSession(NpgsqlConnection connection)
{
    public void Enter(NpgsqlTransaction tx, Guid tenant, string user) =>
        connection.Execute(
            "SELECT set_config('app.current_tenant_id', @tenant, true), set_config('app.user_id', @user, true)",
            new { tenant = tenant.ToString(), user },
            tx);
}
