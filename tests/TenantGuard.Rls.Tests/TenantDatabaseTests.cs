using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace TenantGuard.Rls.Tests
{
    [Collection(RlsCollection.Name)]
    public class TenantDatabaseTests
    {
        private readonly RlsDatabaseFixture _db;

        public TenantDatabaseTests(RlsDatabaseFixture db) => _db = db;

        private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }

        [Fact]
        public async Task Applies_tenant_and_role_transaction_locally()
        {
            var database = new TenantDatabase(_db.App);
            var (tenant, role) = await database.WithTenantAsync(new TenantContext("t-1", "owner_admin"), async (c, tx, _) =>
                ((string?)await ScalarAsync(c, tx, "SELECT current_setting('app.tenant_id', true)"),
                 (string?)await ScalarAsync(c, tx, "SELECT current_setting('app.role', true)")));
            Assert.Equal("t-1", tenant);
            Assert.Equal("owner_admin", role);
        }

        [Fact]
        public async Task Tenants_see_only_their_rows()
        {
            var database = new TenantDatabase(_db.App);
            var a = "iso-a-" + Guid.NewGuid().ToString("N");
            var b = "iso-b-" + Guid.NewGuid().ToString("N");
            foreach (var tenant in new[] { a, a, b })
            {
                await database.WithTenantAsync(new TenantContext(tenant), async (c, tx, ct) =>
                {
                    await using var insert = new NpgsqlCommand("INSERT INTO notes (tenant_id, body) VALUES (current_setting('app.tenant_id'), 'x')", (NpgsqlConnection)c, (NpgsqlTransaction)tx);
                    await insert.ExecuteNonQueryAsync(ct);
                });
            }

            Assert.Equal(2L, await database.WithTenantAsync(new TenantContext(a), (c, tx, _) => ScalarAsync(c, tx, $"SELECT count(*) FROM notes WHERE tenant_id IN ('{a}', '{b}')")));
            Assert.Equal(1L, await database.WithTenantAsync(new TenantContext(b), (c, tx, _) => ScalarAsync(c, tx, $"SELECT count(*) FROM notes WHERE tenant_id IN ('{a}', '{b}')")));
        }

        [Fact]
        public async Task A_write_for_another_tenant_is_rejected()
        {
            var database = new TenantDatabase(_db.App);
            var error = await Assert.ThrowsAsync<PostgresException>(() => database.WithTenantAsync(new TenantContext("writer"), (c, tx, _) =>
                ScalarAsync(c, tx, "INSERT INTO notes (tenant_id, body) VALUES ('someone-else', 'x')")));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState); // 42501: new row violates row-level security policy
        }

        [Fact]
        public async Task Setting_does_not_outlive_the_transaction_on_the_pooled_connection()
        {
            // One physical connection: the next user of the pool gets the very connection the work used.
            await using var single = NpgsqlDataSource.Create(_db.AppConnectionString + ";Maximum Pool Size=1");
            var database = new TenantDatabase(single);
            await database.WithTenantAsync(new TenantContext("leak-check"), (c, tx, _) => ScalarAsync(c, tx, "SELECT 1"));
            await using var next = await single.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("SELECT coalesce(current_setting('app.tenant_id', true), '')", next);
            Assert.Equal("", await command.ExecuteScalarAsync());
        }

        [Fact]
        public async Task Failed_work_rolls_back_and_the_error_propagates()
        {
            var database = new TenantDatabase(_db.App);
            var tenant = "rollback-" + Guid.NewGuid().ToString("N");
            await Assert.ThrowsAsync<InvalidOperationException>(() => database.WithTenantAsync(new TenantContext(tenant), async (c, tx, _) =>
            {
                await ScalarAsync(c, tx, "INSERT INTO notes (tenant_id, body) VALUES (current_setting('app.tenant_id'), 'lost')");
                throw new InvalidOperationException("work failed");
            }));
            Assert.Equal(0L, await database.WithTenantAsync(new TenantContext(tenant), (c, tx, _) => ScalarAsync(c, tx, "SELECT count(*) FROM notes")));
        }

        [Fact]
        public async Task Values_are_bound_not_spliced()
        {
            var database = new TenantDatabase(_db.App);
            const string hostile = "x'; SET app.tenant_id = 'other";
            var seen = await database.WithTenantAsync(new TenantContext(hostile), (c, tx, _) => ScalarAsync(c, tx, "SELECT current_setting('app.tenant_id')"));
            Assert.Equal(hostile, seen);
        }

        [Fact]
        public async Task A_transient_failure_before_the_work_is_retried_once()
        {
            var opens = 0;
            var database = new TenantDatabase(async ct =>
            {
                if (Interlocked.Increment(ref opens) == 1)
                {
                    throw new FakeDbException(transient: true);
                }

                return await _db.App.OpenConnectionAsync(ct);
            });
            var runs = 0;
            var result = await database.WithTenantAsync(new TenantContext("retry"), (c, tx, _) =>
            {
                runs++;
                return ScalarAsync(c, tx, "SELECT current_setting('app.tenant_id')");
            });
            Assert.Equal("retry", result);
            Assert.Equal(2, opens);
            Assert.Equal(1, runs);
        }

        [Fact]
        public async Task Only_one_retry_and_none_for_permanent_failures()
        {
            var opens = 0;
            var alwaysTransient = new TenantDatabase(_ => { opens++; throw new FakeDbException(transient: true); });
            await Assert.ThrowsAsync<FakeDbException>(() => alwaysTransient.WithTenantAsync(new TenantContext("x"), (c, tx, _) => Task.CompletedTask));
            Assert.Equal(2, opens);

            opens = 0;
            var permanent = new TenantDatabase(_ => { opens++; throw new FakeDbException(transient: false); });
            await Assert.ThrowsAsync<FakeDbException>(() => permanent.WithTenantAsync(new TenantContext("x"), (c, tx, _) => Task.CompletedTask));
            Assert.Equal(1, opens);
        }

        [Fact]
        public async Task A_transient_failure_inside_the_work_is_not_retried()
        {
            var database = new TenantDatabase(_db.App);
            var runs = 0;
            await Assert.ThrowsAsync<FakeDbException>(() => database.WithTenantAsync(new TenantContext("no-retry"), (c, tx, _) =>
            {
                runs++;
                throw new FakeDbException(transient: true);
            }));
            Assert.Equal(1, runs);
        }

        [Fact]
        public async Task Works_from_a_provider_factory_and_with_positional_parameters()
        {
            var database = new TenantDatabase(NpgsqlFactory.Instance, _db.AppConnectionString, new RlsOptions { PositionalParameters = true, ExtraSettings = { ["app.request_id"] = "r-1" } });
            var seen = await database.WithTenantAsync(new TenantContext("factory"), (c, tx, _) => ScalarAsync(c, tx, "SELECT current_setting('app.tenant_id') || '/' || current_setting('app.request_id')"));
            Assert.Equal("factory/r-1", seen);
        }

        private sealed class FakeDbException : DbException
        {
            private readonly bool _transient;

            public FakeDbException(bool transient)
                : base(transient ? "connection reset" : "permission denied") => _transient = transient;

            public override bool IsTransient => _transient;
        }
    }
}
