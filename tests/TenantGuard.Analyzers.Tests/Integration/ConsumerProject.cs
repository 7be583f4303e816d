using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace TenantGuard.Analyzers.Tests.Integration
{
    /// <summary>A throwaway consumer project outside the repository, for running the real dotnet CLI against.</summary>
    internal sealed class ConsumerProject : IDisposable
    {
        public ConsumerProject(string projectXml, IReadOnlyDictionary<string, string>? environment = null)
        {
            _environment = environment;
            Directory = Path.Combine(Path.GetTempPath(), "tenantguard-consumer-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            System.IO.Directory.CreateDirectory(Directory);
            ProjectPath = Path.Combine(Directory, "Consumer.csproj");
            File.WriteAllText(ProjectPath, projectXml);
        }

        private readonly IReadOnlyDictionary<string, string>? _environment;

        public string Directory { get; }

        public string ProjectPath { get; }

        public string Write(string relativePath, string content)
        {
            var path = Path.Combine(Directory, relativePath);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            return path;
        }

        public string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

        public async Task<(int ExitCode, string Output)> DotnetAsync(string arguments, int timeoutSeconds = 300)
        {
            var info = new ProcessStartInfo("dotnet", arguments)
            {
                WorkingDirectory = Directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            info.Environment["DOTNET_NOLOGO"] = "1";
            info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            foreach (var pair in _environment ?? new Dictionary<string, string>())
            {
                info.Environment[pair.Key] = pair.Value;
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var exited = await Task.Run(() => process.WaitForExit(timeoutSeconds * 1000));
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet {arguments} did not finish in {timeoutSeconds}s");
            }

            return (process.ExitCode, await stdout + await stderr);
        }

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
