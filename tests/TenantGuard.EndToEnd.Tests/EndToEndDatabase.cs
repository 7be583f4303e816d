using AntiPatterns.Examples;
using Npgsql;
using TenantGuard.Testing.Postgres;
using TenantPlatform.Data;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>One throwaway PostgreSQL for the whole run: the anti-pattern database and the platform's.</summary>
public sealed class EndToEndDatabase : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    /// <summary>The anti-patterns' database as ap_app (no BYPASSRLS).</summary>
    public NpgsqlDataSource AntiPatterns { get; private set; } = null!;

    public string AntiPatternsConnectionString { get; private set; } = "";

    public PlatformConnectionStrings Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartAsync();
        await Server.ExecuteAsync("CREATE DATABASE antipatterns");
        await Server.ExecuteAsync("CREATE DATABASE tenant_platform");
        await Database.MigrateAsync(Server.ConnectionString("antipatterns"));
        AntiPatternsConnectionString = Server.ConnectionString("antipatterns", "ap_app");
        AntiPatterns = NpgsqlDataSource.Create(AntiPatternsConnectionString);
        Platform = new PlatformConnectionStrings(
            Server.ConnectionString("tenant_platform"),
            Server.ConnectionString("tenant_platform", "tenant_app") + ";Maximum Pool Size=40",
            Server.ConnectionString("tenant_platform", "tenant_worker"));
        await Migrator.MigrateAsync(Platform.Owner);
    }

    public async Task DisposeAsync()
    {
        await AntiPatterns.DisposeAsync();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndDatabase>
{
    public const string Name = "end to end";
}
