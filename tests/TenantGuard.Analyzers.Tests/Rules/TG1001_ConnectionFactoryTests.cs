using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// TG1001 through the project's own connection factories: a connection from a method whose body opens it and sets
    /// nothing is fresh, not "received" (so TG1001 applies); factories that apply the setting, interfaces and virtual
    /// methods stay assumed.
    /// </summary>
    public class TG1001_ConnectionFactoryTests
    {
        private static readonly (string, string)[] Tables = { ("tenantguard.tenant_tables", "contacts") };

        private const string Factory = """
            public class Db(NpgsqlDataSource dataSource)
            {
                public async Task<NpgsqlConnection> OpenAsync() => await dataSource.OpenConnectionAsync();

                public NpgsqlConnection Open()
                {
                    var conn = dataSource.CreateConnection();
                    conn.Open();
                    return conn;
                }

                public async Task<NpgsqlConnection> OpenForTenantAsync(Guid tenant)
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, false)", new { tenant = tenant.ToString() });
                    return conn;
                }

                public virtual NpgsqlConnection OpenVirtual() => dataSource.OpenConnection();
            }

            public interface IDb { Task<NpgsqlConnection> OpenAsync(); }
            """;

        [Fact]
        public Task Query_on_a_connection_from_a_bare_factory() => Verify.AnalyzerAsync(Factory + """

            class Repository(Db db)
            {
                public async Task<int> Count()
                {
                    await using var conn = await db.OpenAsync();
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts");
                }
            }
            """,
            Tables,
            Verify.Diagnostic("TG1001").WithSpan(28, 22, 28, 83).WithArguments(
                "SqlMapper.ExecuteScalarAsync", "contacts", "the tenant setting",
                "the connection comes from Db.OpenAsync, which opens it and applies no tenant setting"));

        [Fact]
        public Task Synchronous_factory_with_a_local() => Verify.AnalyzerAsync(Factory + """

            class Repository(Db db)
            {
                public List<int> Ids()
                {
                    using var conn = db.Open();
                    return {|TG1001:conn.Query<int>("SELECT id FROM contacts")|}.ToList();
                }
            }
            """,
            Tables);

        [Fact]
        public Task Factory_connection_with_the_setting_in_a_transaction_is_clean() => Verify.AnalyzerAsync(Factory + """

            class Repository(Db db)
            {
                public async Task<int> Count(Guid tenant)
                {
                    await using var conn = await db.OpenAsync();
                    await using var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @tenant, true)", new { tenant = tenant.ToString() }, tx);
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: tx);
                }
            }
            """,
            Tables);

        [Fact]
        public Task Factories_that_apply_the_setting_interfaces_and_virtual_methods_stay_assumed() => Verify.AnalyzerAsync(Factory + """

            class Repository(Db db, IDb idb)
            {
                public async Task<int> Count(Guid tenant)
                {
                    await using var a = await db.OpenForTenantAsync(tenant);
                    var x = await a.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts");
                    await using var b = await idb.OpenAsync();
                    var y = await b.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts");
                    using var c = db.OpenVirtual();
                    return x + y + c.ExecuteScalar<int>("SELECT count(*) FROM contacts");
                }
            }
            """,
            Tables);
    }
}
