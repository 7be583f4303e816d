using System.Diagnostics;
using System.Text.Json;
using Microsoft.Build.Locator;

namespace TenantGuard.Cli.Audit;

/// <summary>
/// The .NET SDK the audited projects build with: the one their <c>global.json</c> asks for. When it is not installed,
/// one message says which global.json asks for which SDK, which SDKs are installed and what to do; MSBuild is then
/// never located (Microsoft.Build.Locator would fail with "Failed to find all versions of .NET Core MSBuild").
/// </summary>
internal static class Sdk
{
    /// <summary>Checks the SDK of <paramref name="directory"/> and registers its MSBuild, once per process.</summary>
    public static void Locate(string directory, TextWriter progress)
    {
        if (MSBuildLocator.IsRegistered)
        {
            return;
        }

        var (exitCode, output) = Run(directory, "--version");
        if (exitCode != 0)
        {
            throw new AuditInputException(Unresolved(directory, output), ExitCodes.ProjectDoesNotBuild);
        }

        VisualStudioInstance? instance;
        try
        {
            instance = MSBuildLocator.QueryVisualStudioInstances(new VisualStudioInstanceQueryOptions
            {
                DiscoveryTypes = DiscoveryType.DotNetSdk,
                WorkingDirectory = directory,
            }).FirstOrDefault();
        }
        catch (InvalidOperationException ex)
        {
            throw new AuditInputException(Unresolved(directory, ex.Message), ExitCodes.ProjectDoesNotBuild);
        }

        if (instance is null)
        {
            throw new AuditInputException(Unresolved(directory, output), ExitCodes.ProjectDoesNotBuild);
        }

        progress.WriteLine($"Using the .NET SDK {instance.Version} ({instance.MSBuildPath})");
        MSBuildLocator.RegisterInstance(instance);
    }

    /// <summary>The message for an SDK that cannot be found from <paramref name="directory"/>.</summary>
    private static string Unresolved(string directory, string detail)
    {
        var installed = Run(Path.GetTempPath(), "--list-sdks").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .ToList();
        var installedText = installed.Count == 0 ? "none" : string.Join(", ", installed);
        if (GlobalJson(directory) is not { } file)
        {
            return $"The .NET SDK cannot be found from {directory} (installed SDKs: {installedText}). Install the .NET 10 SDK and run the audit again. ({FirstLine(detail)})";
        }

        string? version = null, rollForward = null;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (json.RootElement.TryGetProperty("sdk", out var sdk))
            {
                version = sdk.TryGetProperty("version", out var v) ? v.GetString() : null;
                rollForward = sdk.TryGetProperty("rollForward", out var r) ? r.GetString() : null;
            }
        }
        catch (JsonException ex)
        {
            return $"{file} cannot be read ({ex.Message}), so the .NET SDK of the projects cannot be chosen. Fix or remove it, then run the audit again.";
        }

        var asks = version is null ? "an SDK" : $".NET SDK {version}" + (rollForward is null ? "" : $" (rollForward: {rollForward})");
        return $"{file} asks for {asks}, which is not installed; installed SDKs: {installedText}. "
            + $"Install that SDK (https://dotnet.microsoft.com/download), or change \"sdk\" in {file} to an installed version "
            + "(or allow a newer one with \"rollForward\": \"latestMajor\"), then run the audit again.";
    }

    /// <summary>The global.json that applies to a folder: its own or the nearest above it.</summary>
    private static string? GlobalJson(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var file = Path.Combine(current.FullName, "global.json");
            if (File.Exists(file))
            {
                return file;
            }
        }

        return null;
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    /// <summary>Runs <c>dotnet</c> in <paramref name="directory"/> (so that its global.json and nuget.config apply): exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}
