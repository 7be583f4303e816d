using TenantPlatform.Data;
using TenantPlatform.Features;

namespace TenantPlatform;

/// <summary>Builds the platform's web application; Program.cs and the end-to-end tests both use it.</summary>
public static class PlatformApp
{
    public static WebApplication Build(PlatformConnectionStrings connectionStrings, Uri providerBaseAddress, string[]? args = null, string urls = "http://127.0.0.1:5080")
    {
        var builder = WebApplication.CreateBuilder(args ?? []);
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<PlatformExceptionHandler>();
        // Bodies that cannot be bound throw, so the handler can say what was wrong (instead of an empty 400).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(new PlatformDatabase(connectionStrings));
        builder.Services.AddHttpClient<Importer>(client => client.BaseAddress = providerBaseAddress);
        builder.Services.AddSingleton<JobWorker>();
        builder.Services.AddHostedService<JobWorkerService>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // 404 for an unknown route, 405, ...: problem+json too
        app.MapOpenApi(); // /openapi/v1.json
        app.MapGet("/health", () => Results.Ok("ok"));
        app.MapPost("/tenants", async (NewTenant tenant, PlatformDatabase db) =>
        {
            if (Validate.Required(
                ("id", tenant.Id != Guid.Empty, "A tenant needs an id (a UUID, not the empty one)."),
                ("name", !string.IsNullOrWhiteSpace(tenant.Name), "A tenant needs a name.")) is { } invalid)
            {
                return invalid;
            }

            // Tenants are global rows, created with the owner's connection.
            await using var conn = new Npgsql.NpgsqlConnection(db.ConnectionStrings.Owner);
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("INSERT INTO tenants (id, name) VALUES (@id, @name) ON CONFLICT (id) DO NOTHING", conn);
            cmd.Parameters.AddWithValue("id", tenant.Id);
            cmd.Parameters.AddWithValue("name", tenant.Name!);
            await cmd.ExecuteNonQueryAsync();
            return Results.Ok(tenant);
        });
        app.MapPost("/tenants/{tenantId:guid}/import", async (Guid tenantId, Importer importer, CancellationToken ct) => Results.Ok(await importer.ImportAsync(tenantId, ct)));
        Contacts.Map(app);
        TenantData.Map(app);
        Payments.Map(app);
        JobWorker.Map(app);
        return app;
    }
}

public sealed record NewTenant(Guid Id, string? Name);
