using System.Net;
using System.Net.Sockets;

namespace AntiPatterns.Examples;

/// <summary>A booking provider that answers every request with a name, slowly (for TG1005).</summary>
public sealed class SlowProvider : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly TimeSpan _delay;

    public SlowProvider(TimeSpan delay)
    {
        _delay = delay;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.ToString());
        _listener.Start();
        _ = ServeAsync();
    }

    public Uri BaseAddress { get; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            await Task.Delay(_delay);
            var body = "Ada"u8.ToArray();
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
