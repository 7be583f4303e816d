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
        public Task A_method_group_starts_from_the_wrappers_state() => Verify.AnalyzerAsync(Store + """
            class C
            {
                Task<int> Mine(Store store, Guid tenantId) => store.InTenantTransactionAsync(tenantId, CountMineAsync);

                Task<int> All(Store store) => store.InTransactionAsync(CountAllAsync);

                private static async Task<int> CountMineAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
                {
                    await connection.ExecuteAsync("SELECT set_config('app.user_id', @u, true)", new { u = Guid.Empty.ToString() }, transaction);
                    return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
                }

                private static Task<int> CountAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
                    {|TG1001:connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction)|};
            }
            """, Settings);

        [Fact]
        public Task A_method_group_also_called_directly_stays_the_callers() => Verify.AnalyzerAsync(Store + """
            class C
            {
                Task<int> All(Store store) => store.InTransactionAsync(CountAllAsync);

                Task<int> Direct(NpgsqlConnection connection, NpgsqlTransaction transaction) => CountAllAsync(connection, transaction);

                private static Task<int> CountAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
                    connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
            }
            """, Settings);

        [Fact]
        public Task A_method_group_through_this_is_read_and_one_kept_in_a_variable_is_not() => Verify.AnalyzerAsync(Store + """
            class C
            {
                Task<int> All(Store store) => store.InTransactionAsync(this.CountAllAsync);

                private Task<int> CountAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
                    {|TG1001:connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction)|};

                Task<int> Kept(Store store)
                {
                    Func<NpgsqlConnection, NpgsqlTransaction, Task<int>> work = CountKeptAsync;
                    return store.InTransactionAsync(work);
                }

                private Task<int> CountKeptAsync(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
                    connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
            }
            """, Settings);

        /// <summary>A policy that reads both settings: what the callback adds must count with what the wrapper applied.</summary>
        private const string TenantAndUser = """
            CREATE TABLE projects (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, name text);
            ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
            CREATE POLICY projects_member ON projects
                USING (tenant_id = current_setting('app.tenant_id', true)::uuid AND current_setting('app.user_id', true) <> '');
            """;

        private const string Scope = """
            public static class Scope
            {
                public static Task<T> WithAsync<T>(NpgsqlConnection connection, Func<NpgsqlConnection, Task<T>> work) => work(connection);
            }

            """;

        private static Task WithPolicy(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
            Verify.AnalyzerAsync(Store + Scope + source, System.Array.Empty<(string, string)>(), new[] { ("/migrations/001_schema.sql", TenantAndUser) }, expected);

        [Fact]
        public Task Under_a_policy_a_callbacks_setting_counts_with_the_wrappers() => WithPolicy("""
            class C
            {
                Task<int> Lambda(Store store, Guid tenantId, Guid userId) =>
                    store.InTenantTransactionAsync(tenantId, async (connection, transaction) =>
                    {
                        await connection.ExecuteAsync("SELECT set_config('app.user_id', @u, true)", new { u = userId.ToString() }, transaction);
                        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
                    });

                Task<int> Group(Store store, Guid tenantId) => store.InTenantTransactionAsync(tenantId, CountAsync);

                private static async Task<int> CountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
                {
                    await connection.ExecuteAsync("SELECT set_config('app.user_id', @u, true)", new { u = Guid.Empty.ToString() }, transaction);
                    return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction);
                }
            }
            """);

        [Fact]
        public Task Under_a_policy_a_callback_of_a_wrapper_that_applies_nothing_lacks_the_tenant() => WithPolicy(
            """
            class C
            {
                Task<int> M(Store store, Guid userId) =>
                    store.InTransactionAsync(async (connection, transaction) =>
                    {
                        await connection.ExecuteAsync("SELECT set_config('app.user_id', @u, true)", new { u = userId.ToString() }, transaction);
                        return await {|#0:connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects", transaction: transaction)|};
                    });
            }
            """,
            Verify.Diagnostic("TG1001").WithLocation(0).WithArguments(
                "SqlMapper.ExecuteScalarAsync", "projects", "'app.tenant_id' (policy 'projects_member' on projects reads 'app.tenant_id' and 'app.user_id')", "it sets 'app.user_id' but not 'app.tenant_id'"));

        [Fact]
        public Task Under_a_policy_a_method_group_given_a_received_connection_adds_to_the_assumed_context() => WithPolicy("""
            class C
            {
                Task<int> Group(NpgsqlConnection connection) => Scope.WithAsync(connection, CountAsync);

                Task<int> Lambda(NpgsqlConnection connection, Guid userId) =>
                    Scope.WithAsync(connection, async c =>
                    {
                        await c.ExecuteAsync("SELECT set_config('app.user_id', @u, true)", new { u = userId.ToString() });
                        return await c.ExecuteScalarAsync<int>("SELECT count(*) FROM projects");
                    });

                private static async Task<int> CountAsync(NpgsqlConnection connection)
                {
                    await connection.ExecuteAsync("SELECT set_config('app.user_id', @u, true)", new { u = Guid.Empty.ToString() });
                    return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM projects");
                }
            }
            """);

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
