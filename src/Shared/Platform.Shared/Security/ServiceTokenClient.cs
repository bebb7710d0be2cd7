using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Platform.Shared.Security;

/// <summary>
/// Gets this process's service tokens from Identity's process (<c>POST /internal/identity/token</c> with its
/// own credential), one per target module, reused until half a minute before they expire.
/// </summary>
internal sealed class ServiceTokenClient(ServiceIdentity self, IssuerLocation issuer, TimeProvider clock) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = new(StringComparer.OrdinalIgnoreCase);

    public HttpClient Http => _http;

    public Uri IdentityUrl => issuer.Url!;

    public async Task<string> TokenForAsync(string module, CancellationToken cancellationToken)
    {
        if (_tokens.TryGetValue(module, out var held) && clock.GetUtcNow() < held.RenewAt)
        {
            return held.Token;
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

    public void Dispose() => _http.Dispose();

    private sealed record IssuedToken(string AccessToken, int ExpiresIn);
}
