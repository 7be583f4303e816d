// A void helper writes the text of the command it receives; the caller executes it.
namespace FieldCorpus.Prepare;

public sealed class TenantCommands
{
    public void Apply(NpgsqlConnection connection, string tenantName)
    {
        using var cmd = connection.CreateCommand();
        Prepare(cmd, tenantName); // expect: TG1008, TG1009
        cmd.ExecuteNonQuery();
    }

    public void ApplyBound(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenantName)
    {
        using var cmd = new NpgsqlCommand(string.Empty, connection, transaction);
        PrepareBound(cmd, tenantName);
        cmd.ExecuteNonQuery();
    }

    private static void Prepare(NpgsqlCommand cmd, string tenantName)
    {
        cmd.CommandText = $"SET app.current_tenant = '{tenantName}'";
    }

    private static void PrepareBound(NpgsqlCommand cmd, string tenantName)
    {
        cmd.CommandText = "SELECT set_config('app.current_tenant', @tenant, true)";
        cmd.Parameters.AddWithValue("tenant", tenantName);
    }
}
