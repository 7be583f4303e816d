using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace TenantPlatform;

/// <summary>
/// Every error answer is <c>application/problem+json</c> with a message a client can act on: a request the platform
/// cannot read is 400 (413, 415 where the server says so), a row the tenant cannot see or that does not exist is 404,
/// a write the row-level security policy refuses is 403, an unreachable provider is 502; anything else is 500 with no
/// internals.
/// </summary>
public sealed class PlatformExceptionHandler(IProblemDetailsService problems, ILogger<PlatformExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read", bad.Message),
            PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } => (StatusCodes.Status404NotFound, "Not found",
                "The tenant, or a row the request refers to, does not exist or is not visible to this tenant."),
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } pg => (StatusCodes.Status403Forbidden, "Refused by the tenant's row-level security", pg.MessageText),
            PostgresException { SqlState: PostgresErrorCodes.InvalidTextRepresentation or PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.CheckViolation or PostgresErrorCodes.StringDataRightTruncation } pg =>
                (StatusCodes.Status400BadRequest, "Invalid value", pg.MessageText),
            HttpRequestException or SocketException or TaskCanceledException { InnerException: TimeoutException } =>
                (StatusCodes.Status502BadGateway, "The provider could not be reached", "The booking provider did not answer; nothing was imported."),
            _ => (StatusCodes.Status500InternalServerError, "Internal error", "The request failed; the error is logged on the server."),
        };
        if (status >= 500)
        {
            log.LogError(exception, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>Validation of request bodies: each failure is a 400 <c>ValidationProblem</c> naming the field.</summary>
public static class Validate
{
    public static IResult? Required(params (string Field, bool Valid, string Message)[] checks)
    {
        var errors = checks.Where(c => !c.Valid).ToDictionary(c => c.Field, c => new[] { c.Message });
        return errors.Count == 0 ? null : Results.ValidationProblem(errors);
    }

    /// <summary>A JSON document (the body of a memory or an approval): 400 when it is not one.</summary>
    public static IResult? Json(string body)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(body);
            return null;
        }
        catch (System.Text.Json.JsonException ex)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["The body must be a JSON document: " + ex.Message] });
        }
    }
}
