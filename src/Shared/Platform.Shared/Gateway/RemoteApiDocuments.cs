using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;
using Platform.Shared.Security;

namespace Platform.Shared.Gateway;

/// <summary>
/// The API documents of the processes that host the modules this one does not, read over their internal,
/// service-token route (<c>/internal/openapi/v1.json</c>) and kept for a minute. A process that does not answer
/// keeps its last document, and is asked again on the next request two seconds later, so it shows up again
/// soon after it comes back.
/// </summary>
internal sealed partial class RemoteApiDocuments(ModuleRegistry modules, ServiceTokenClient tokens, TimeProvider clock, ILogger<RemoteApiDocuments> logger)
    : IDisposable
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http = InternalHttp.Create(TimeSpan.FromSeconds(2), 8 * 1024 * 1024);
    private readonly ConcurrentDictionary<Uri, Held> _held = new();
    private readonly SemaphoreSlim _reading = new(1, 1);

    /// <summary>One process's modules, and its document, or null when it has never answered.</summary>
    public sealed record Part(IReadOnlyList<string> Modules, JsonObject? Document);

    public async Task<IReadOnlyList<Part>> GetAsync(CancellationToken cancellationToken)
    {
        var processes = modules.Remote.GroupBy(r => r.Value, r => r.Key).ToList();
        if (processes.All(p => _held.TryGetValue(p.Key, out var held) && clock.GetUtcNow() < held.AskAt))
        {
            return processes.Select(p => new Part(p.Order(StringComparer.Ordinal).ToList(), _held[p.Key].Document)).ToList();
        }

        // One reader at a time: many requests for the document while a process is slow make one fetch, not many.
        await _reading.WaitAsync(cancellationToken);
        try
        {
            var parts = await Task.WhenAll(processes.Select(async process =>
            {
                var hosted = process.Order(StringComparer.Ordinal).ToList();
                return new Part(hosted, await DocumentOfAsync(process.Key, hosted, cancellationToken));
            }));
            return parts;
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task<JsonObject?> DocumentOfAsync(Uri process, IReadOnlyList<string> hosted, CancellationToken cancellationToken)
    {
        var held = _held.GetValueOrDefault(process);
        if (held is not null && clock.GetUtcNow() < held.AskAt)
        {
            return held.Document;
        }

        try
        {
            var document = await ReadAsync(process, hosted, cancellationToken);
            _held[process] = new Held(document, clock.GetUtcNow() + KeepFor);
            return document;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException)
        {
            LogUnreadable(process.ToString(), e.Message);
            // Timed from the failure, not from the request: a process that hangs is not asked again at once.
            _held[process] = new Held(held?.Document, clock.GetUtcNow() + AskAgainAfter);
            return held?.Document;
        }
    }

    /// <summary>The process's document, read with a service token for one of its modules that this process may call.</summary>
    private async Task<JsonObject> ReadAsync(Uri process, IReadOnlyList<string> hosted, CancellationToken cancellationToken)
    {
        HttpRequestException? refused = null;
        foreach (var module in hosted)
        {
            HttpResponseMessage response;
            try
            {
                response = await tokens.SendAsync(module, () => new HttpRequestMessage(HttpMethod.Get, new Uri(process, "internal/openapi/v1.json")), _http, cancellationToken);
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                refused = e; // this process's credential may not call that module; another of the process's may do
                continue;
            }

            using var answered = response;
            response.EnsureSuccessStatusCode();
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject
                ?? throw new InvalidOperationException("the answer is not a JSON object.");
        }

        throw (Exception?)refused ?? new InvalidOperationException("the process hosts no module.");
    }

    public void Dispose()
    {
        _http.Dispose();
        _reading.Dispose();
    }

    private sealed record Held(JsonObject? Document, DateTimeOffset AskAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API document of {Process} could not be read: {Reason}")]
    private partial void LogUnreadable(string process, string reason);
}
