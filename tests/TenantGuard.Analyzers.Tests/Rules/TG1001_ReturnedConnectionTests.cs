using System.Threading.Tasks;
using Xunit;
using Verify = TenantGuard.Analyzers.Tests.Infrastructure.Verify<TenantGuard.Analyzers.Rules.MissingTenantContextAnalyzer>;

namespace TenantGuard.Analyzers.Tests.Rules
{
    /// <summary>
    /// TG1001 through the project's methods that return a connection with its transaction (a tuple), or a connection
    /// with the tenant applied: the caller's connection starts in the state the method returns it in.
    /// </summary>
    public class TG1001_ReturnedConnectionTests
    {
        private static readonly (string, string)[] Tables = { ("tenantguard.tenant_tables", "contacts") };

        private const string Sessions = """
            public class Sessions(NpgsqlDataSource dataSource)
            {
                public async Task<(NpgsqlConnection, NpgsqlTransaction)> BeginAsync()
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    return (conn, tx);
                }

                public async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction)> BeginForTenantAsync(Guid tenant)
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    return (conn, tx);
                }

                public async Task<NpgsqlConnection> OpenForTenantAsync(Guid tenant)
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, false)", new { t = tenant.ToString() });
                    return conn;
                }

                public async Task<(NpgsqlConnection, NpgsqlTransaction)> BeginMaybeAsync(Guid? tenant)
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    if (tenant is { } t)
                    {
                        await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = t.ToString() }, tx);
                    }

                    return (conn, tx);
                }
            }

            """;

        [Fact]
        public Task A_tuple_from_a_method_that_applies_no_setting() => Verify.AnalyzerAsync(Sessions + """
            class Repository(Sessions sessions)
            {
                public async Task<int> Count()
                {
                    var (conn, tx) = await sessions.BeginAsync();
                    await using var _ = conn;
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: tx);
                }
            }
            """,
            Tables,
            Verify.Diagnostic("TG1001").WithSpan(43, 22, 43, 100).WithArguments(
                "SqlMapper.ExecuteScalarAsync", "contacts", "the tenant setting",
                "the connection comes from Sessions.BeginAsync, which opens it and applies no tenant setting"));

        [Fact]
        public Task A_tuple_with_the_tenant_applied_holds_until_the_commit() => Verify.AnalyzerAsync(Sessions + """
            class Repository(Sessions sessions)
            {
                public async Task<int> Count(Guid tenant)
                {
                    var (conn, tx) = await sessions.BeginForTenantAsync(tenant);
                    var before = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: tx);
                    await tx.CommitAsync();
                    return before + await {|TG1001:conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts")|};
                }
            }
            """,
            Tables);

        [Fact]
        public Task A_connection_with_a_session_setting_and_a_tuple_with_it_on_some_paths() => Verify.AnalyzerAsync(Sessions + """
            class Repository(Sessions sessions)
            {
                public async Task<int> Count(Guid tenant)
                {
                    await using var conn = await sessions.OpenForTenantAsync(tenant);
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts");
                }

                public async Task<int> Maybe(Guid? tenant)
                {
                    var (conn, tx) = await sessions.BeginMaybeAsync(tenant);
                    return await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: tx);
                }
            }
            """,
            Tables);

        [Fact]
        public Task Named_elements_and_a_tuple_local() => Verify.AnalyzerAsync(Sessions + """
            class Repository(Sessions sessions)
            {
                public async Task<int> Count(Guid tenant)
                {
                    (NpgsqlConnection conn, NpgsqlTransaction tx) = await sessions.BeginAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    var count = await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: tx);
                    await tx.CommitAsync();
                    return count;
                }

                public async Task<int> Whole(Guid tenant)
                {
                    var session = await sessions.BeginForTenantAsync(tenant);
                    return await session.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: session.Transaction);
                }
            }
            """,
            Tables);

        [Fact]
        public Task A_tuple_kept_whole_is_read_through_its_elements() => Verify.AnalyzerAsync(Sessions + """
            class Repository(Sessions sessions)
            {
                public async Task<int> Count()
                {
                    var session = await sessions.BeginAsync();
                    return await {|TG1001:session.Item1.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: session.Item2)|};
                }
            }
            """,
            Tables);

        private const string Records = """
            public sealed record TenantSession(NpgsqlConnection Connection, NpgsqlTransaction Transaction);

            public sealed class UnitOfWork
            {
                public NpgsqlConnection Connection { get; init; } = null!;
                public NpgsqlTransaction? Transaction { get; init; }
            }

            public class Sessions(NpgsqlDataSource dataSource)
            {
                public async Task<TenantSession> BeginAsync()
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    return new TenantSession(conn, tx);
                }

                public async Task<TenantSession> BeginForTenantAsync(Guid tenant)
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    return new TenantSession(conn, tx);
                }

                public async Task<UnitOfWork> StartAsync()
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    return new UnitOfWork { Connection = conn, Transaction = tx };
                }

                public async Task<UnitOfWork> StartForTenantAsync(Guid tenant)
                {
                    var conn = await dataSource.OpenConnectionAsync();
                    var tx = await conn.BeginTransactionAsync();
                    await conn.ExecuteAsync("SELECT set_config('app.tenant_id', @t, true)", new { t = tenant.ToString() }, tx);
                    return new UnitOfWork { Connection = conn, Transaction = tx };
                }
            }

            """;

        [Fact]
        public Task A_record_from_a_method_that_applies_no_setting() => Verify.AnalyzerAsync(Records + """
            class Repository(Sessions sessions)
            {
                public async Task<int> Count()
                {
                    var session = await sessions.BeginAsync();
                    return await session.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: session.Transaction);
                }

                public async Task<int> Initialized()
                {
                    var work = await sessions.StartAsync();
                    return await {|TG1001:work.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: work.Transaction)|};
                }
            }
            """,
            Tables,
            Verify.Diagnostic("TG1001").WithSpan(46, 22, 46, 131).WithArguments(
                "SqlMapper.ExecuteScalarAsync", "contacts", "the tenant setting",
                "the connection comes from Sessions.BeginAsync, which opens it and applies no tenant setting"));

        [Fact]
        public Task A_record_with_the_tenant_applied_and_two_sessions_kept_apart() => Verify.AnalyzerAsync(Records + """
            class Repository(Sessions sessions)
            {
                public async Task<int> Count(Guid tenant)
                {
                    var session = await sessions.BeginForTenantAsync(tenant);
                    var work = await sessions.StartForTenantAsync(tenant);
                    var count = await session.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: session.Transaction);
                    count += await work.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: work.Transaction);
                    await session.Transaction.CommitAsync();
                    count += await work.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: work.Transaction);
                    return count + await {|TG1001:session.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts")|};
                }
            }
            """,
            Tables);

        [Fact]
        public Task A_record_of_unknown_origin_is_received() => Verify.AnalyzerAsync(Records + """
            class Repository
            {
                public async Task<int> Count(TenantSession session, Func<TenantSession> make)
                {
                    var made = make();
                    var count = await made.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: made.Transaction);
                    return count + await session.Connection.ExecuteScalarAsync<int>("SELECT count(*) FROM contacts", transaction: session.Transaction);
                }
            }
            """,
            Tables);
    }
}
