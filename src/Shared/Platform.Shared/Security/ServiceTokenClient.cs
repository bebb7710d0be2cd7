using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Platform.Shared.Security;

/// <summary>
/// Gets this process's service tokens, one per target module, reused until half a minute before they expire:
/// minted here when Identity is hosted here, else from Identity's process (<c>POST /internal/identity/token</c>
/// with this process's own credential).
/// </summary>
internal sealed class ServiceTokenClient(IssuerLocation issuer, TimeProvider clock, ServiceIdentity? self = null, IServiceTokenIssuer? local = null) : IDisposable
{
    /// <summary>The subject of tokens minted here when no <c>Service:Name</c> is set.</summary>
    public const string LocalServiceName = "identity-host";

    private readonly HttpClient _http = InternalHttp.Create();
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _issuing = new(1, 1);
    private readonly ConcurrentDictionary<string, (HttpRequestException Error, DateTimeOffset Until)> _refused = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a failure to get a token is answered from memory: callers waiting their turn fail at once instead of one by one.</summary>
    private static readonly TimeSpan RememberFailureFor = TimeSpan.FromSeconds(2);

    public HttpClient Http => _http;

    public Uri IdentityUrl => issuer.Url ?? throw new InvalidOperationException("Identity is hosted here.");

    /// <summary>A service token for <paramref name="module"/>: the one held, or a new one (one request at a time, whatever the demand).</summary>
    public async Task<string> TokenForAsync(string module, CancellationToken cancellationToken)
    {
        if (_tokens.TryGetValue(module, out var held) && clock.GetUtcNow() < held.RenewAt)
        {
            return held.Token;
        }

        await _issuing.WaitAsync(cancellationToken);
        try
        {
            if (_tokens.TryGetValue(module, out held) && clock.GetUtcNow() < held.RenewAt)
            {
                return held.Token;
            }

            if (_refused.TryGetValue(module, out var refused) && clock.GetUtcNow() < refused.Until)
            {
                throw new HttpRequestException(refused.Error.Message, refused.Error, refused.Error.StatusCode);
            }

            try
            {
                return await IssueAsync(module, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                _refused[module] = (e, clock.GetUtcNow() + RememberFailureFor);
                throw;
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                var slow = new HttpRequestException("Identity did not answer a service token request in time.", e);
                _refused[module] = (slow, clock.GetUtcNow() + RememberFailureFor);
                throw slow;
            }
        }
        finally
        {
            _issuing.Release();
        }
    }

    /// <summary>The token held for <paramref name="module"/> was refused: the next call gets a new one.</summary>
    public void Forget(string module) => _tokens.TryRemove(module, out _);

    /// <summary>
    /// Sends <paramref name="build"/>'s request with a service token for <paramref name="module"/>. A 401 (the
    /// token's key retired, or the token expired on the way) gets one new token and one more try.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(string module, Func<HttpRequestMessage> build, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(http);
        for (var renewed = false; ; renewed = true)
        {
            using var request = build();
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await TokenForAsync(module, cancellationToken));
            var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized || renewed)
            {
                return response;
            }

            response.Dispose();
            Forget(module);
        }
    }

    private async Task<string> IssueAsync(string module, CancellationToken cancellationToken)
    {
        if (local is not null)
        {
            var minted = local.Issue(self?.Name ?? LocalServiceName, module);
            _tokens[module] = (minted.AccessToken, clock.GetUtcNow() + minted.Lifetime - TimeSpan.FromSeconds(30));
            return minted.AccessToken;
        }

        if (self is null || issuer.Url is null)
        {
            throw new InvalidOperationException("This process has no service credential: set Service:Name and Service:Secret, and register them in Identity's process.");
        }

        using var response = await _http.PostAsJsonAsync(
            new Uri(issuer.Url!, "internal/identity/token"),
            new { clientId = self.Name, clientSecret = self.Secret, audience = module },
            cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Identity refused a service token to {self.Name} for {module}: {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var issued = await response.Content.ReadFromJsonAsync<IssuedToken>(cancellationToken)
            ?? throw new HttpRequestException("Identity answered a service token request with nothing.");
        _tokens[module] = (issued.AccessToken, clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, issued.ExpiresIn - 30)));
        return issued.AccessToken;
    }

    public void Dispose()
    {
        _http.Dispose();
        _issuing.Dispose();
    }

    private sealed record IssuedToken(string AccessToken, int ExpiresIn);
}

/// <summary>HTTP between processes: short timeouts, no redirects (a redirect would carry a secret elsewhere), DNS changes picked up, small answers.</summary>
internal static class InternalHttp
{
    /// <summary>The handler of every call between processes: a redirect would carry a token elsewhere.</summary>
    public static SocketsHttpHandler Handler(TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = connectTimeout,
    };

    public static HttpClient Create(TimeSpan? timeout = null, long maxAnswerBytes = 1024 * 1024) => new(Handler(TimeSpan.FromSeconds(3)))
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        MaxResponseContentBufferSize = maxAnswerBytes,
    };
}
