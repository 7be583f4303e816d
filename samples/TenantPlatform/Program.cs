using Npgsql;
using TenantGuard.Testing.Postgres;
using TenantPlatform;
using TenantPlatform.Data;

// Connection strings from configuration (ConnectionStrings:Owner/App/Worker); without them, the embedded default:
// a throwaway PostgreSQL cluster on a free loopback port, stopped when the app stops.
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
PostgresServer? embedded = null;
PlatformConnectionStrings connectionStrings;
if (configuration.GetConnectionString("Owner") is { } owner)
{
    connectionStrings = new PlatformConnectionStrings(owner, configuration.GetConnectionString("App")!, configuration.GetConnectionString("Worker")!);
}
else
{
    Console.WriteLine("No ConnectionStrings:Owner configured: starting an embedded PostgreSQL...");
    embedded = await PostgresServer.StartAsync();
    await embedded.ExecuteAsync("CREATE DATABASE tenant_platform");
    connectionStrings = new PlatformConnectionStrings(
        embedded.ConnectionString("tenant_platform"),
        embedded.ConnectionString("tenant_platform", "tenant_app"),
        embedded.ConnectionString("tenant_platform", "tenant_worker"));
    Console.WriteLine($"PostgreSQL on 127.0.0.1:{embedded.Port} (data in {embedded.Directory}; stopped and removed when the app exits, however it exits)");
}

try
{
    await Migrator.MigrateAsync(connectionStrings.Owner);
    var provider = new Uri(configuration["Provider:BaseAddress"] ?? "http://127.0.0.1:5081/");
    var app = PlatformApp.Build(connectionStrings, provider, args, configuration["urls"] ?? "http://127.0.0.1:5080");
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Console.WriteLine($"Listening on {address} (OpenAPI: {address}/openapi/v1.json; requests: samples/TenantPlatform/TenantPlatform.http)");
        }
    });
    await app.RunAsync();
}
finally
{
    NpgsqlConnection.ClearAllPools();
    embedded?.Dispose();
}
