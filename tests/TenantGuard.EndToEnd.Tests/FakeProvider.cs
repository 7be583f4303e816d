using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>A local stand-in for the booking provider (Square, Acuity): serves a response after an optional delay.</summary>
public sealed class FakeProvider : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public FakeProvider(Func<HttpListenerRequest, string> respond, TimeSpan delay = default)
    {
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    Requests++;
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay);
                    }

                    var body = Encoding.UTF8.GetBytes(respond(context.Request));
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                });
            }
        });
    }

    public Uri BaseAddress { get; }

    public int Requests { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
