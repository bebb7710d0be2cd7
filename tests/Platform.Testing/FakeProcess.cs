using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.Testing;

/// <summary>
/// A stand-in for another process on a loopback port, whose every answer the test decides (slow, failing,
/// HTML, a problem document), and which records what it was sent. <see cref="StopAsync"/> makes it "down".
/// </summary>
public sealed class FakeProcess : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeProcess(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>What the next requests get; swap it to change the process's behaviour mid-test.</summary>
    public Func<HttpContext, Task> Answer { get; set; } = context => context.Response.WriteAsJsonAsync(Array.Empty<object>());

    public ConcurrentQueue<Received> Requests { get; } = new();

    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public static async Task<FakeProcess> StartAsync(int? port = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var url = new Uri($"http://127.0.0.1:{port ?? HostProcess.FreePort()}/");
        builder.WebHost.UseUrls(url.ToString());
        var app = builder.Build();
        var fake = new FakeProcess(app, url);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            fake.Requests.Enqueue(new Received(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            await fake.Answer(context);
        });
        await app.StartAsync();
        return fake;
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
