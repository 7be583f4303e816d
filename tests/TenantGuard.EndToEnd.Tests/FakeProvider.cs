using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TenantGuard.EndToEnd.Tests;

/// <summary>
/// A local stand-in for the booking provider (Square, Acuity): serves a response, or holds each request until the test
/// releases it (<see cref="Hold"/>), so that a test can look at the database while the caller waits on the provider.
/// </summary>
public sealed class FakeProvider : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _release;

    /// <summary>From now on, requests wait for <see cref="Release"/>; <see cref="Arrived"/> completes when one comes.</summary>
    public void Hold()
    {
        _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Completes when a held request has arrived (the caller is now waiting on the provider).</summary>
    public Task Arrived => _arrived.Task;

    /// <summary>Lets the held requests be answered.</summary>
    public void Release() => _release?.TrySetResult();

    public FakeProvider(Func<HttpListenerRequest, string> respond)
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

                var arrived = _arrived;
                var release = _release;
                _ = Task.Run(async () =>
                {
                    Requests++;
                    if (release is not null)
                    {
                        arrived.TrySetResult();
                        await release.Task;
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
