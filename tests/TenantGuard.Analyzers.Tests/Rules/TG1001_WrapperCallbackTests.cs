using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;
using VerifyLocal = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.LocalSettingWithoutTransactionAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// A lambda handed to one of the project's with-tenant wrappers starts from what the wrapper established before
    /// invoking it: the transaction it began, the settings it applied. A setting the lambda applies adds to that.
    /// </summary>
    public class TG1001_WrapperCallbackTests
    {
        private static readonly (string, string)[] Settings = { ("tenantguard.tenant_settings", "app.tenant_id, app.user_id"), ("tenantguard.tenant_tables", "projects") };

        private const string Store = """
            public sealed class Store
            {
                private readonly NpgsqlDataSource _dataSource;

                public Store(NpgsqlDataSource dataSource) => _dataSource = dataSource;

                public async Task<T> InTenantTransactionAsync<T>(Guid tenantId, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
                {
                    await using var connection = await _dataSource.OpenConnectionAsync();
                    await using var transaction = await connection.BeginTransactionAsync();
                    await connection.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenantId.ToString() }, transaction);
                    var result = await work(connection, transaction);
                    await transaction.CommitAsync();
                    return result;
                }

                public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work)
                {
                    await using var connection = await _dataSource.OpenConnectionAsync();
                    await using var transaction = await connection.BeginTransactionAsync();
                    var result = await work(connection, transaction);
                    await transaction.CommitAsync();
                    return result;
                }

                public async Task<T> OnConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work)
                {
                    await using var connection = await _dataSource.OpenConnectionAsync();
                    return await work(connection);
                }
            }

            public interface IStore
            {
                Task<T> InTenantTransactionAsync<T>(Guid tenantId, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work);
            }

            """;

        [Fact]
        public Task A_setting_of_the_callback_adds_to_the_wrappers() => Verify.AnalyzerAsync(Store + """
            class C
            {
                Task<int> M(Store store, Guid tenantId, Guid userId) =>
                    store.InTenantTransactionAsync(tenantId, async (connection, transaction) =>
                    {
                        await connection.ExecuteAsync("SELECT set_config('app.user_id', @u, true)", new { u = userId.ToString() }, transaction);
                        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
                    });
            }
            """, Settings);

        [Fact]
        public Task A_callback_of_a_wrapper_that_applies_the_tenant_is_clean() => Verify.AnalyzerAsync(Store + """
            class C
            {
                Task<int> M(Store store, Guid tenantId) =>
                    store.InTenantTransactionAsync(tenantId, (connection, transaction) =>
                        connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction));
            }
            """, Settings);

        [Fact]
        public Task A_callback_of_a_wrapper_that_applies_nothing_is_reported_and_says_so() => Verify.AnalyzerAsync(
            Store + """
            class C
            {
                Task<int> M(Store store) =>
                    store.InTransactionAsync((connection, transaction) =>
                        {|#0:connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction)|});
            }
            """,
            Settings,
            Verify.Diagnostic("TG1001").WithLocation(0).WithArguments(
                "SqlMapper.ExecuteScalarAsync", "projects", "the tenant setting", "InTransactionAsync applies no tenant setting before calling this"));

        [Fact]
        public Task A_callback_that_applies_the_tenant_itself_is_clean() => Verify.AnalyzerAsync(Store + """
            class C
            {
                Task<int> M(Store store, Guid tenantId) =>
                    store.InTransactionAsync(async (connection, transaction) =>
                    {
                        await connection.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenantId.ToString() }, transaction);
                        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
                    });
            }
            """, Settings);

        [Fact]
        public Task A_callback_of_a_wrapper_read_through_an_interface_adds_its_setting_to_the_assumed_context() => Verify.AnalyzerAsync(Store + """
            class C
            {
                Task<int> M(IStore store, Guid tenantId, Guid userId) =>
                    store.InTenantTransactionAsync(tenantId, async (connection, transaction) =>
                    {
                        await connection.ExecuteAsync("SELECT set_config('app.user_id', @u, true)", new { u = userId.ToString() }, transaction);
                        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
                    });
            }
            """, Settings);

        [Fact]
        public Task A_callback_given_no_transaction_gets_TG1007_for_its_local_setting() => VerifyLocal.AnalyzerAsync(Store + """
            class C
            {
                Task<int> M(Store store, Guid tenantId) =>
                    store.OnConnectionAsync(async connection =>
                    {
                        await {|TG1007:connection.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenantId.ToString() })|};
                        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects");
                    });
            }
            """, Settings);

        [Fact]
        public Task A_callback_given_a_transaction_is_not_TG1007() => VerifyLocal.AnalyzerAsync(Store + """
            class C
            {
                Task<int> M(Store store, Guid tenantId) =>
                    store.InTransactionAsync(async (connection, transaction) =>
                    {
                        await connection.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenantId.ToString() }, transaction);
                        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
                    });
            }
            """, Settings);
    }
}
