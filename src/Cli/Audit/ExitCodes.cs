namespace TenantGuard.Cli.Audit;

/// <summary>The tool's exit codes.</summary>
public static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int BadInput = 2;
    public const int ProjectDoesNotBuild = 3;
    public const int ConnectionFailed = 4;
    public const int DatabaseWithoutTables = 5;
    public const int Unexpected = 6;
}
