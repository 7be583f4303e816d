namespace TenantGuard.Cli.Audit;

/// <summary>A path the audit cannot work with, or a project it cannot compile: the message says which.</summary>
public sealed class AuditInputException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
