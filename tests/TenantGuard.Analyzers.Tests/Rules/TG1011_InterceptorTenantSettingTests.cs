using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.InterceptorTenantSettingAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>TG1011 over interceptors written with the real EF Core types.</summary>
    public class TG1011_InterceptorTenantSettingTests
    {
        private const string Usings = "using Microsoft.EntityFrameworkCore.Diagnostics;\n";

        /// <summary>A helper class of the project that writes the setting into a command (SetTenant) and runs it (SetTenantAsync).</summary>
        private const string RlsConfig = """
            static class RlsConfig
            {
                public static async Task SetTenantAsync(DbCommand cmd, Guid tenantId, CancellationToken cancellationToken)
                {
                    SetTenant(cmd, tenantId);
                    await cmd.ExecuteScalarAsync(cancellationToken);
                }

                public static void SetTenant(DbCommand cmd, Guid tenantId)
                {
                    cmd.CommandText = "select set_config('app.tenant_id', @tenant, true);";
                    var parameter = cmd.CreateParameter();
                    parameter.ParameterName = "@tenant";
                    parameter.Value = tenantId.ToString();
                    cmd.Parameters.Add(parameter);
                }
            }

            """;

        // ---- flagged ----

        [Fact]
        public Task Command_in_connection_opening_behind_a_state_guard() => Verify.AnalyzerAsync(Usings + """
            class TenantRlsInterceptor(Func<string> tenant) : DbConnectionInterceptor
            {
                public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
                {
                    if (connection.State == ConnectionState.Open)
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = "SELECT set_config('app.tenant_id', @t, false)";
                        {|TG1011:command.ExecuteNonQuery()|};
                    }

                    return result;
                }

                public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
                {
                    try
                    {
                        await using var command = connection.CreateCommand();
                        command.CommandText = "SELECT set_config('app.tenant_id', @t, false)";
                        await {|TG1011:command.ExecuteNonQueryAsync(cancellationToken)|};
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    return result;
                }
            }
            """);

        [Fact]
        public Task Transaction_local_setting_in_connection_opened() => Verify.AnalyzerAsync(Usings + """
            class TenantDbConnectionInterceptor : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT {|TG1011:set_config('app.tenant_id', 'acme', true)|}";
                    command.ExecuteNonQuery();
                }

                public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "{|TG1011:SET LOCAL app.tenant_id = 'acme'|}";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            """);

        [Fact]
        public Task Only_the_async_callback_is_overridden() => Verify.AnalyzerAsync(Usings + """
            class TenantInterceptor : DbConnectionInterceptor
            {
                public override async Task {|TG1011:ConnectionOpenedAsync|}(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', false)";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            """);

        [Fact]
        public Task Only_the_async_callback_with_a_text_chosen_by_a_conditional() => Verify.AnalyzerAsync(Usings + """
            class RlsInterceptor(Func<string?> user) : DbConnectionInterceptor
            {
                public override async Task {|TG1011:ConnectionOpenedAsync|}(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    var commandText = Guid.TryParse(user(), out var userId)
                        ? $"SELECT set_config('app.tenant_id', '{userId:D}', false);"
                        : "RESET app.tenant_id;";

                    await using var command = connection.CreateCommand();
                    command.CommandText = commandText;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            """);

        [Fact]
        public Task Setting_written_by_a_private_helper() => Verify.AnalyzerAsync(Usings + """
            class TenantInterceptor : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
                {
                    using var command = connection.CreateCommand();
                    {|TG1011:PrepareCommand(command, "acme")|};
                    command.ExecuteNonQuery();
                }

                public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var command = connection.CreateCommand();
                    {|TG1011:PrepareCommand(command, "acme")|};
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }

                private static void PrepareCommand(DbCommand command, string tenant) =>
                    command.CommandText = $"SET LOCAL app.tenant_id = '{tenant}'";
            }
            """);

        [Fact]
        public Task Only_async_through_a_helper_with_a_pattern_variable() => Verify.AnalyzerAsync(Usings + """
            interface ITenantContext { Guid TenantId { get; } }

            class TenantConnectionInterceptor(ITenantContext tenantContext) : DbConnectionInterceptor
            {
                public override async Task {|TG1011:ConnectionOpenedAsync|}(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await EnsureTenantContextSet(connection, cancellationToken);
                    await base.ConnectionOpenedAsync(connection, eventData, cancellationToken);
                }

                private async Task EnsureTenantContextSet(DbConnection? connection, CancellationToken cancellationToken)
                {
                    if (connection is not NpgsqlConnection npgsqlConn)
                        return;

                    try
                    {
                        await using var tenantCmd = new NpgsqlCommand("SELECT set_config('app.current_tenant', @tenantId, false);", npgsqlConn);
                        tenantCmd.Parameters.AddWithValue("tenantId", tenantContext.TenantId.ToString());
                        await tenantCmd.ExecuteScalarAsync(cancellationToken);
                    }
                    catch (Exception)
                    {
                    }
                }
            }
            """, ("tenantguard.tenant_settings", "app.current_tenant"));

        [Fact]
        public Task Transaction_local_setting_in_connection_opened_through_a_helper_of_another_class() => Verify.AnalyzerAsync(Usings + RlsConfig + """
            class TenantConnectionInterceptor(Func<Guid> tenant) : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
                {
                    using var cmd = connection.CreateCommand();
                    {|TG1011:RlsConfig.SetTenant(cmd, tenant())|};
                    cmd.ExecuteScalar();
                }

                public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var cmd = connection.CreateCommand();
                    await {|TG1011:RlsConfig.SetTenantAsync(cmd, tenant(), cancellationToken)|};
                }
            }
            """);

        [Fact]
        public Task A_counterpart_that_only_writes_the_setting_into_a_command_it_never_executes() => Verify.AnalyzerAsync(Usings + RlsConfig + """
            class TenantTransactionInterceptor(Func<Guid> tenant) : DbTransactionInterceptor
            {
                public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
                {
                    await using var cmd = connection.CreateCommand();
                    cmd.Transaction = result;
                    await RlsConfig.SetTenantAsync(cmd, tenant(), cancellationToken);
                    return result;
                }

                public override DbTransaction {|TG1011:TransactionStarted|}(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
                {
                    SetTenant(connection, result);
                    return result;
                }

                private void SetTenant(DbConnection connection, DbTransaction transaction)
                {
                    var id = tenant();
                    if (id == Guid.Empty)
                        throw new InvalidOperationException("No tenant ID available for this request.");
                    var cmd = connection.CreateCommand();
                    cmd.Transaction = transaction;
                    RlsConfig.SetTenant(cmd, id);
                }
            }
            """);

        [Fact]
        public Task Callbacks_named_like_the_interfaces_with_other_parameters_are_never_called() => Verify.AnalyzerAsync(Usings + """
            class TenantTransactionInterceptor(Func<string> tenant) : IDbTransactionInterceptor
            {
                public async Task {|TG1011:TransactionStartedAsync|}(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var command = transaction.Connection!.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "SELECT set_config('app.tenant_id', @t, true)";
                    command.Parameters.Add(new NpgsqlParameter("t", tenant()));
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            """);

        [Fact]
        public Task A_helper_with_a_callbacks_name_that_a_callback_calls_is_a_helper() => Verify.AnalyzerAsync(Usings + """
            class TenantTransactionInterceptor(Func<string> tenant) : DbTransactionInterceptor
            {
                public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
                {
                    TransactionStarted(result);
                    return result;
                }

                public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
                {
                    TransactionStarted(result);
                    return result;
                }

                private void TransactionStarted(DbTransaction transaction)
                {
                    using var command = transaction.Connection!.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "SELECT set_config('app.tenant_id', @t, true)";
                    command.Parameters.Add(new NpgsqlParameter("t", tenant()));
                    command.ExecuteNonQuery();
                }
            }
            """);

        [Fact]
        public Task A_synchronous_callback_that_only_logs() => Verify.AnalyzerAsync(Usings + """
            class TenantInterceptor : DbConnectionInterceptor
            {
                public override void {|TG1011:ConnectionOpened|}(DbConnection connection, ConnectionEndEventData eventData) =>
                    Console.WriteLine("opened " + connection.Database);

                public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', false)";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            """);

        // ---- clean ----

        [Fact]
        public Task Session_setting_in_both_opened_callbacks() => Verify.AnalyzerAsync(Usings + """
            class TenantInterceptor : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', false)";
                    command.ExecuteNonQuery();
                }

                public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', false)";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            """);

        [Fact]
        public Task Transaction_local_setting_when_a_transaction_starts() => Verify.AnalyzerAsync(Usings + """
            class TenantTransactionInterceptor : DbTransactionInterceptor
            {
                public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
                {
                    using var command = connection.CreateCommand();
                    command.Transaction = result;
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', true)";
                    command.ExecuteNonQuery();
                    return result;
                }

                public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = result;
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', true)";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    return result;
                }
            }
            """);

        [Fact]
        public Task Transaction_local_setting_when_a_transaction_starts_through_a_helper_of_another_class() => Verify.AnalyzerAsync(Usings + """
            static class RlsConfig
            {
                public static async Task SetTenantAsync(DbCommand cmd, Guid tenantId, CancellationToken cancellationToken)
                {
                    cmd.CommandText = "select set_config('app.tenant_id', @tenant, true);";
                    var parameter = cmd.CreateParameter();
                    parameter.ParameterName = "@tenant";
                    parameter.Value = tenantId.ToString();
                    cmd.Parameters.Add(parameter);
                    await cmd.ExecuteScalarAsync(cancellationToken);
                }
            }

            class TenantTransactionInterceptor(Func<Guid> tenant) : DbTransactionInterceptor
            {
                public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
                {
                    using var cmd = connection.CreateCommand();
                    cmd.Transaction = result;
                    RlsConfig.SetTenantAsync(cmd, tenant(), default).GetAwaiter().GetResult();
                    return result;
                }

                public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
                {
                    await using var cmd = connection.CreateCommand();
                    cmd.Transaction = result;
                    await RlsConfig.SetTenantAsync(cmd, tenant(), cancellationToken);
                    return result;
                }
            }
            """);

        [Fact]
        public Task A_counterpart_that_refuses_or_calls_what_cannot_be_read_is_left_alone() => Verify.AnalyzerAsync(Usings + """
            interface ITenantSql { void Apply(DbConnection connection); }

            class RefusingInterceptor : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
                    throw new NotSupportedException("open connections asynchronously");

                public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', false)";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            class DelegatingInterceptor(ITenantSql tenantSql) : DbConnectionInterceptor
            {
                public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => tenantSql.Apply(connection);

                public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', false)";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            """);

        [Fact]
        public Task Command_interceptor_that_prefixes_the_text() => Verify.AnalyzerAsync(Usings + """
            class TenantCommandInterceptor : DbCommandInterceptor
            {
                public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
                {
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', true); " + command.CommandText;
                    return result;
                }
            }
            """);

        [Fact]
        public Task Other_classes_are_not_interceptors() => Verify.AnalyzerAsync("""
            class Opener
            {
                public void ConnectionOpening(DbConnection connection)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT set_config('app.tenant_id', 'acme', true)";
                    command.ExecuteNonQuery();
                }
            }
            """);
    }
}
