using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Npgsql;

namespace TenantGuard.Testing.Postgres
{
    /// <summary>
    /// A throwaway PostgreSQL cluster for tests: initdb into a temporary directory, started on a free loopback port,
    /// stopped and deleted on dispose. initdb refuses to run as root, so as root the server runs as the
    /// <c>postgres</c> user (runuser). Never depends on a server someone started by hand.
    /// <para>
    /// The server never outlives its process: a watchdog started with it (a detached shell) stops it and deletes its
    /// directory when the process is gone, even after <c>kill -9</c>; and each start removes the directories of servers
    /// whose process is gone (<c>owner.pid</c> in each directory names it).
    /// </para>
    /// </summary>
    public sealed class PostgresServer : IAsyncDisposable, IDisposable
    {
        private readonly string _directory;
        private readonly string _bin;
        private readonly bool _asPostgresUser;
        private bool _stopped;

        private PostgresServer(string directory, string bin, bool asPostgresUser, int port)
        {
            _directory = directory;
            _bin = bin;
            _asPostgresUser = asPostgresUser;
            Port = port;
        }

        public int Port { get; }

        /// <summary>The cluster's temporary directory (data, log, socket).</summary>
        public string Directory => _directory;

        private const string Prefix = "tenantguard-pg-";

        /// <summary>The superuser's connection string to a database.</summary>
        public string ConnectionString(string database = "postgres", string user = "postgres", string? password = null, bool pooling = true) =>
            new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = Port,
                Database = database,
                Username = user,
                Password = password,
                Pooling = pooling,
                Timeout = 15,
                CommandTimeout = 60,
            }.ConnectionString;

        public static async Task<PostgresServer> StartAsync()
        {
            var bin = FindBin();
            var asPostgresUser = Environment.UserName == "root";
            RemoveStale(bin, asPostgresUser);
            var directory = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N").Substring(0, 12));
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var port = FreePort();
            var server = new PostgresServer(directory, bin, asPostgresUser, port);
            try
            {
                if (asPostgresUser)
                {
                    Run("chown", $"postgres: {Quote(directory)}", asPostgres: false);
                }

                var data = Path.Combine(directory, "data");
                server.RunPg("initdb", $"-D {Quote(data)} -U postgres -A trust -E UTF8 --no-locale");
                File.AppendAllText(Path.Combine(data, "postgresql.conf"), string.Join("\n",
                    "",
                    "listen_addresses = '127.0.0.1'",
                    $"port = {port}",
                    $"unix_socket_directories = '{directory}'",
                    "fsync = off",
                    "synchronous_commit = off",
                    "full_page_writes = off",
                    "max_connections = 300",
                    ""));
                server.RunPg("pg_ctl", $"-D {Quote(data)} -l {Quote(Path.Combine(directory, "server.log"))} -w -t 60 start");
                server.StartWatchdog();
                await server.WaitReadyAsync();
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        /// <summary>Runs SQL as the superuser on a database.</summary>
        public async Task ExecuteAsync(string sql, string database = "postgres")
        {
            await using var connection = new NpgsqlConnection(ConnectionString(database, pooling: false));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public void Dispose()
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            try
            {
                NpgsqlConnection.ClearAllPools();
                Run(StopCommand(_bin, _asPostgresUser, _directory), "", asPostgres: _asPostgresUser, check: false);
            }
            finally
            {
                try
                {
                    System.IO.Directory.Delete(_directory, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }

        /// <summary>The shell command that runs a server tool (as the postgres user where needed).</summary>
        private static string PgCommand(string bin, bool asPostgresUser, string tool, string arguments)
        {
            var command = $"{Quote(Path.Combine(bin, tool))} {arguments}";
            return asPostgresUser ? $"runuser -u postgres -- {command}" : command;
        }

        /// <summary>The shell command that stops the cluster in a directory at once.</summary>
        private static string StopCommand(string bin, bool asPostgresUser, string directory) =>
            PgCommand(bin, asPostgresUser, "pg_ctl", $"-D {Quote(Path.Combine(directory, "data"))} -m immediate -w stop");

        /// <summary>
        /// A detached shell (its own session, so it survives this process) that waits for this process to end, or for the
        /// directory to be deleted by <see cref="Dispose()"/>, and then stops the server and deletes the directory.
        /// </summary>
        private void StartWatchdog()
        {
            var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null && [ -d {Quote(_directory)} ]; do sleep 1; done; "
                + $"if [ -d {Quote(_directory)} ]; then {StopCommand(_bin, _asPostgresUser, _directory)} >/dev/null 2>&1; rm -rf {Quote(_directory)}; fi";
            var info = new ProcessStartInfo("setsid")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.ArgumentList.Add("/bin/bash");
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(script + " </dev/null >/dev/null 2>&1 &");
            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the watchdog");
            process.WaitForExit(10_000);
        }

        /// <summary>Stops and deletes the clusters of processes that are gone (a crash, a kill -9 before the watchdog ran).</summary>
        private static void RemoveStale(string bin, bool asPostgresUser)
        {
            foreach (var directory in System.IO.Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
            {
                try
                {
                    var owner = Path.Combine(directory, "owner.pid");
                    if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner).Trim(), out var pid) || System.IO.Directory.Exists("/proc/" + pid))
                    {
                        continue; // a live process's server, or not one of ours
                    }

                    if (File.Exists(Path.Combine(directory, "data", "postmaster.pid")))
                    {
                        Run(StopCommand(bin, asPostgresUser, directory), "", asPostgres: asPostgresUser, check: false);
                    }

                    System.IO.Directory.Delete(directory, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
                {
                    // Another process is removing it, or it is not ours to remove: leave it.
                }
            }
        }

        private async Task WaitReadyAsync()
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    await ExecuteAsync("SELECT 1");
                    return;
                }
                catch (Exception) when (i < 50)
                {
                    await Task.Delay(200);
                }
            }
        }

        private void RunPg(string tool, string arguments, bool check = true) =>
            Run(PgCommand(_bin, _asPostgresUser, tool, arguments), "", asPostgres: _asPostgresUser, check);

        private static void Run(string file, string arguments, bool asPostgres, bool check = true)
        {
            var info = new ProcessStartInfo("/bin/bash")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = asPostgres ? "/tmp" : Environment.CurrentDirectory,
            };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(file + " " + arguments);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {arguments} did not finish");
            }

            if (check && process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
            }
        }

        private static string FindBin()
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("TENANTGUARD_PG_BIN");
            if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "initdb")))
            {
                return fromEnvironment;
            }

            const string root = "/usr/lib/postgresql";
            if (System.IO.Directory.Exists(root))
            {
                var newest = System.IO.Directory.GetDirectories(root)
                    .Select(d => Path.Combine(d, "bin"))
                    .Where(b => File.Exists(Path.Combine(b, "initdb")))
                    .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                    .FirstOrDefault();
                if (newest is not null)
                {
                    return newest;
                }
            }

            throw new InvalidOperationException("No PostgreSQL server binaries found (apt-get install -y postgresql, or set TENANTGUARD_PG_BIN).");
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";
    }
}
