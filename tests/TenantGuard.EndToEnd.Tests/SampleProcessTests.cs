using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>The sample platform as a user runs it: its own process, its embedded PostgreSQL, killed with SIGKILL.</summary>
public sealed class SampleProcessTests
{
    [Fact]
    public async Task After_kill_9_the_embedded_postgres_stops_and_its_directory_is_removed()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var platform = Path.GetFullPath(Path.Combine(AnalyzerRun.SamplesDirectory(), "..", "TenantPlatform", "bin", configuration, "net10.0", "TenantPlatform.dll"));
        Assert.True(File.Exists(platform), platform);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(platform);
        info.ArgumentList.Add("--urls=http://127.0.0.1:0");
        using var process = Process.Start(info)!;
        var output = new System.Text.StringBuilder();
        int? port = null;
        string? directory = null;
        string? listening = null;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (listening is null && DateTime.UtcNow < deadline && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            output.AppendLine(line);
            if (Regex.Match(line, @"PostgreSQL on 127\.0\.0\.1:(\d+) \(data in (\S+);") is { Success: true } pg)
            {
                port = int.Parse(pg.Groups[1].Value);
                directory = pg.Groups[2].Value;
            }

            listening ??= Regex.Match(line, @"^Listening on (http://\S+)") is { Success: true } url ? url.Groups[1].Value : null;
        }

        Assert.True(listening is not null && port is not null && directory is not null, output.ToString());
        Assert.True(Listens(port!.Value));
        using (var http = new HttpClient())
        {
            Assert.Equal("\"ok\"", await http.GetStringAsync(listening + "/health"));
        }

        process.Kill(entireProcessTree: false); // SIGKILL: no finally, no Dispose runs in the app
        await process.WaitForExitAsync();

        var gone = DateTime.UtcNow.AddSeconds(30);
        while ((Listens(port.Value) || Directory.Exists(directory)) && DateTime.UtcNow < gone)
        {
            await Task.Delay(250);
        }

        Assert.False(Listens(port.Value), $"PostgreSQL still listens on {port} after the app was killed");
        Assert.False(Directory.Exists(directory), $"{directory} still exists after the app was killed");
    }

    [Fact]
    public async Task The_anti_patterns_sample_runs_every_code_rules_bad_and_fixed_form()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var antiPatterns = Path.Combine(AnalyzerRun.SamplesDirectory(), "bin", configuration, "net10.0", "AntiPatterns.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(antiPatterns);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + errors);
        var expected = new Dictionary<string, (string Bad, string Fixed)>
        {
            ["TG1001 missing tenant setting"] = ("0 rows, no error", "2 rows"),
            ["TG1001 through the project's connection factory"] = ("0 rows, no error", "2 rows"),
            ["TG1002 the same casts in positional mode"] = ("42601", "SELECT $1::jsonb::text => ok"),
            ["TG1003 swallowed database error"] = ("reports 2 created", "fails with 23502"),
            ["TG1004 transaction used after a caught error"] = ("0 rows committed", "3 rows committed"),
            ["TG1005 network call while the transaction is open"] = ("idle in transaction for", "idle in transaction for 0."),
            ["TG1006 SET with a bind parameter"] = ("fails with 42601", "2 rows"),
            ["TG1007 transaction-local setting outside a transaction"] = ("sees ''", "sees 'acme'"),
            ["TG1008 tenant setting for the whole session"] = ("runs as tenant 'acme'", "runs with no tenant"),
            ["TG1009 tenant id spliced into SET"] = ("sees [Ada, Grace]", "sees []"),
            ["TG1010 second transaction on one connection"] = ("throws", "2 rows"),
        };
        var lines = output.Split('\n');
        foreach (var (rule, (bad, good)) in expected)
        {
            var at = Array.FindIndex(lines, l => l.StartsWith(rule, StringComparison.Ordinal));
            Assert.True(at >= 0 && at + 2 < lines.Length, $"no '{rule}' in:\n{output}");
            Assert.Contains(bad, lines[at + 1]);
            Assert.Contains(good, lines[at + 2]);
        }
    }

    [Fact]
    public async Task A_start_removes_the_directories_of_servers_whose_process_is_gone()
    {
        using var finished = Process.Start(new ProcessStartInfo("true"))!;
        await finished.WaitForExitAsync();
        var stale = Path.Combine(Path.GetTempPath(), "tenantguard-pg-stale" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(Path.Combine(stale, "data"));
        File.WriteAllText(Path.Combine(stale, "owner.pid"), finished.Id.ToString());
        var alive = Path.Combine(Path.GetTempPath(), "tenantguard-pg-alive" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(alive);
        File.WriteAllText(Path.Combine(alive, "owner.pid"), Environment.ProcessId.ToString());
        try
        {
            await using var server = await TenantGuard.Testing.Postgres.PostgresServer.StartAsync();
            Assert.False(Directory.Exists(stale));
            Assert.True(Directory.Exists(alive)); // this process's: left alone
        }
        finally
        {
            Directory.Delete(alive, recursive: true);
        }
    }

    private static bool Listens(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
