using Npgsql;
using TenantGuard.Rls;

namespace TenantPlatform.Data;

/// <summary>The platform's connections: the API's (role tenant_app), the worker's (role tenant_worker).</summary>
public sealed class PlatformDatabase : IAsyncDisposable
{
    public PlatformDatabase(PlatformConnectionStrings connectionStrings)
    {
        ConnectionStrings = connectionStrings;
        App = NpgsqlDataSource.Create(connectionStrings.App);
        Worker = NpgsqlDataSource.Create(connectionStrings.Worker);
        Tenants = new TenantDatabase(App);
    }

    public PlatformConnectionStrings ConnectionStrings { get; }

    /// <summary>Connections as tenant_app (no BYPASSRLS).</summary>
    public NpgsqlDataSource App { get; }

    /// <summary>Connections as tenant_worker (claims jobs across tenants).</summary>
    public NpgsqlDataSource Worker { get; }

    /// <summary>The with-tenant wrapper: short-lived connection, transaction, set_config(.., true), work, commit.</summary>
    public TenantDatabase Tenants { get; }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Worker.DisposeAsync();
    }
}

public sealed record PlatformConnectionStrings(string Owner, string App, string Worker);
