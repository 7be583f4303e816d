using System.Threading.Tasks;
using Npgsql;
using TenantGuard.Testing.Postgres;
using Xunit;

namespace TenantGuard.Rls.Tests
{
    /// <summary>A throwaway server with a notes table under forced RLS and an application role without BYPASSRLS.</summary>
    public sealed class RlsDatabaseFixture : IAsyncLifetime
    {
        public PostgresServer Server { get; private set; } = null!;

        public NpgsqlDataSource App { get; private set; } = null!;

        public string AppConnectionString { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Server = await PostgresServer.StartAsync();
            await Server.ExecuteAsync("CREATE DATABASE rls");
            await Server.ExecuteAsync("""
                CREATE ROLE app LOGIN PASSWORD 'app' NOSUPERUSER NOBYPASSRLS;
                CREATE TABLE notes (id serial PRIMARY KEY, tenant_id text NOT NULL, body text NOT NULL);
                ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
                ALTER TABLE notes FORCE ROW LEVEL SECURITY;
                CREATE POLICY notes_tenant ON notes
                    USING (tenant_id = current_setting('app.tenant_id', true))
                    WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
                GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO app;
                GRANT USAGE ON SEQUENCE notes_id_seq TO app;
                """, "rls");
            AppConnectionString = Server.ConnectionString("rls", "app", "app");
            App = NpgsqlDataSource.Create(AppConnectionString);
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    [CollectionDefinition(Name)]
    public sealed class RlsCollection : ICollectionFixture<RlsDatabaseFixture>
    {
        public const string Name = "rls database";
    }
}
