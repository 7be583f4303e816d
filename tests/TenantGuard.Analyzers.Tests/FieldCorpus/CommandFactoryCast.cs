// Factory methods that build commands and return them unexecuted; their callers are elsewhere.
namespace FieldCorpus.Factory;

public sealed class AuditCommands(NpgsqlDataSource dataSource)
{
    public NpgsqlCommand ForTenant(Guid tenantId)
    {
        var cmd = dataSource.CreateCommand("SELECT * FROM audit_log WHERE tenant_id = :tid::uuid"); // expect: TG1002
        cmd.Parameters.AddWithValue("tid", tenantId);
        return cmd;
    }

    public NpgsqlCommand ForTenantCast(NpgsqlConnection connection, Guid tenantId)
    {
        var cmd = new NpgsqlCommand("SELECT * FROM audit_log WHERE tenant_id = CAST(:tid AS uuid)", connection);
        cmd.Parameters.AddWithValue("tid", tenantId);
        return cmd;
    }
}
