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
            var directory = Path.Combine(Path.GetTempPath(), "tenantguard-pg-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(directory);
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
                RunPg("pg_ctl", $"-D {Quote(Path.Combine(_directory, "data"))} -m immediate -w stop", check: false);
            }
            finally
            {
                try
                {
                    Directory.Delete(_directory, recursive: true);
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

        private void RunPg(string tool, string arguments, bool check = true)
        {
            var path = Path.Combine(_bin, tool);
            if (_asPostgresUser)
            {
                Run("runuser", $"-u postgres -- {Quote(path)} {arguments}", asPostgres: true, check);
            }
            else
            {
                Run(path, arguments, asPostgres: false, check);
            }
        }

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
            if (Directory.Exists(root))
            {
                var newest = Directory.GetDirectories(root)
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
