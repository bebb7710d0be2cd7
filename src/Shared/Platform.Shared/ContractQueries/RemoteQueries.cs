using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Platform.Shared.Errors;
using Platform.Shared.Modules;
using Platform.Shared.Security;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Platform.Shared.ContractQueries;

/// <summary>
/// Sends a contract query to the process that hosts its owner: <c>POST {Modules:X:Url}/internal/x/queries/{name}</c>
/// with a service token for that module. The owner's refusals come back as the exceptions the owner threw
/// (mapped from its problem details); anything else it or the network does is a <see cref="ModuleUnavailableException"/>.
/// </summary>
internal sealed partial class RemoteQueries(IHttpClientFactory clients, ServiceTokenClient tokens, RemoteQueryOptions options, ILogger<RemoteQueries> logger)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The problem extension naming the query whose handler refused: only such refusals become the handler's exceptions.</summary>
    internal const string AnsweredBy = "contractQuery";

    /// <summary>The named HTTP client of one owner: each has a circuit of its own, so one failing owner leaves the others alone.</summary>
    public static string ClientName(string module) => "platform-module:" + ModuleNaming.Schema(module);

    public static string PathOf(ContractQueryType contract) =>
        $"{ServiceTokens.RoutePrefixOf(contract.Owner).TrimStart('/')}/queries/{contract.Name}";

    public async Task<TResponse> SendAsync<TResponse>(ContractQueryType contract, Uri baseUrl, object query, CancellationToken cancellationToken)
    {
        // One bound over everything a caller waits for: the service token, every attempt, and reading the answer.
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(options.TotalTimeout + TimeSpan.FromSeconds(1));
        try
        {
            return await SendWithinAsync<TResponse>(contract, new Uri(baseUrl, PathOf(contract)), query, total.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unavailable(contract, "it did not answer in time.", e);
        }
    }

    private async Task<TResponse> SendWithinAsync<TResponse>(ContractQueryType contract, Uri address, object query, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(contract, address, query, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return (TResponse)(await response.Content.ReadFromJsonAsync(contract.ResponseType, Json, cancellationToken))!;
            }
            catch (JsonException e)
            {
                throw Unavailable(contract, "its answer is not the JSON this version expects.", e);
            }
        }

        throw await ExceptionFromAsync(contract, response, cancellationToken);
    }

    private async Task<HttpResponseMessage> PostAsync(ContractQueryType contract, Uri address, object query, CancellationToken cancellationToken)
    {
        try
        {
            return await tokens.SendAsync(contract.Owner, () => new HttpRequestMessage(HttpMethod.Post, address)
            {
                Content = JsonContent.Create(query, contract.QueryType, options: Json),
            }, clients.CreateClient(ClientName(contract.Owner)), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException)
        {
            throw Unavailable(contract, e switch
            {
                BrokenCircuitException => "it failed too often lately, so it is left alone for a moment.",
                TimeoutRejectedException or OperationCanceledException => "it did not answer in time.",
                _ => $"it could not be reached ({e.Message}).",
            }, e);
        }
    }

    /// <summary>The owner's problem document, turned back into the exception its handler threw.</summary>
    private async Task<Exception> ExceptionFromAsync(ContractQueryType contract, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        RemoteProblem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync<RemoteProblem>(Json, cancellationToken);
            }
            catch (JsonException)
            {
            }
        }

        var message = problem?.Detail ?? problem?.Title;
        var handlerRefused = message is not null && problem!.Extensions?.TryGetValue(AnsweredBy, out var by) == true
            && by.ValueKind == JsonValueKind.String && by.GetString() == contract.Name;
        return (status, handlerRefused) switch
        {
            (422, true) => new BusinessRuleException(message!, problem!.Errors),
            (404, true) => new NotFoundException(message!),
            (409, true) => new ConflictException(message!),
            (_, _) when message is null => Unavailable(contract, $"it answered {status} without a problem document."),
            (401 or 403, _) => Unavailable(contract, $"it refused this process's service credential ({status}); check Service:Name and Identity:Services."),
            (400, _) => Unavailable(contract, $"it could not read the query ({message}); are both processes on the same version?"),
            (404, _) => Unavailable(contract, $"the process at {ModuleAddresses.UrlKey(contract.Owner)} does not answer this query ({message}); does it host {contract.Owner}?"),
            _ => Unavailable(contract, $"it answered {status}: {message}"),
        };
    }

    private ModuleUnavailableException Unavailable(ContractQueryType contract, string reason, Exception? inner = null)
    {
        LogUnavailable(contract.Name, contract.Owner, reason);
        return new ModuleUnavailableException(contract.Owner, reason, inner);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract query {Query} to {Module} failed: {Reason}")]
    private partial void LogUnavailable(string query, string module, string reason);

    private sealed record RemoteProblem(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors)
    {
        [System.Text.Json.Serialization.JsonExtensionData]
        public Dictionary<string, JsonElement>? Extensions { get; init; }
    }
}
