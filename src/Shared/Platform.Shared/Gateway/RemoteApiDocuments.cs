using System.Collections.Concurrent;
using System.Net.Http.Headers;
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

    /// <summary>One process's modules, and its document, or null when it has never answered.</summary>
    public sealed record Part(IReadOnlyList<string> Modules, JsonObject? Document);

    public async Task<IReadOnlyList<Part>> GetAsync(CancellationToken cancellationToken)
    {
        var processes = modules.Remote.GroupBy(r => r.Value, r => r.Key).ToList();
        var parts = await Task.WhenAll(processes.Select(async process =>
            new Part(process.Order(StringComparer.Ordinal).ToList(), await DocumentOfAsync(process.Key, process.First(), cancellationToken))));
        return parts;
    }

    private async Task<JsonObject?> DocumentOfAsync(Uri process, string module, CancellationToken cancellationToken)
    {
        var held = _held.GetValueOrDefault(process);
        var now = clock.GetUtcNow();
        if (held is not null && now < held.AskAt)
        {
            return held.Document;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(process, "internal/openapi/v1.json"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.TokenForAsync(module, cancellationToken));
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                tokens.Forget(module);
            }

            response.EnsureSuccessStatusCode();
            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject
                ?? throw new InvalidOperationException("the answer is not a JSON object.");
            _held[process] = new Held(document, now + KeepFor);
            return document;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException)
        {
            LogUnreadable(process.ToString(), e.Message);
            _held[process] = new Held(held?.Document, now + AskAgainAfter);
            return held?.Document;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed record Held(JsonObject? Document, DateTimeOffset AskAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API document of {Process} could not be read: {Reason}")]
    private partial void LogUnreadable(string process, string reason);
}
