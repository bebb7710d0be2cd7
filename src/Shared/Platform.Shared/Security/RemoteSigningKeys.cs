using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Platform.Shared.Security;

/// <summary>
/// In a process that does not host Identity: the public keys Identity publishes at
/// <c>{Modules:Identity:Url}/.well-known/jwks.json</c>, kept in memory. They are fetched at the first token,
/// again every minute, and at once (before the token is checked, at most once a second) when a token
/// names a key not known yet (at most once a second), so the first token signed after a rotation is accepted. If Identity cannot be
/// reached the last keys stay in use. Nothing here can sign.
/// </summary>
internal sealed partial class RemoteSigningKeys(IssuerLocation issuer, TimeProvider clock, ILogger<RemoteSigningKeys> logger) : IDisposable
{
    /// <summary>A retired (or withdrawn) key stops validating here at most this long after Identity stops publishing it.</summary>
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan UnknownKeyFloor = TimeSpan.FromSeconds(1);

    private readonly HttpClient _http = InternalHttp.Create();
    private int _waiting;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private volatile IReadOnlyList<SecurityKey> _keys = [];
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;

    public IReadOnlyList<SecurityKey> Keys => _keys;

    /// <summary>When the keys were last fetched successfully (null: never): while Identity cannot be reached, a retired key is not learnt of.</summary>
    public DateTimeOffset? FetchedSuccessfullyAt { get; private set; }

    /// <summary>Before a token is checked: makes sure the key it names is known, if Identity has it.</summary>
    public async Task EnsureAsync(string? token, CancellationToken cancellationToken)
    {
        var kid = KeyIdOf(token);
        if (IsFresh(kid))
        {
            return;
        }

        // Tokens naming made-up keys must not pile up: beyond a few waiting, the rest are checked against the keys known now.
        if (Interlocked.Increment(ref _waiting) > 16)
        {
            Interlocked.Decrement(ref _waiting);
            return;
        }

        try
        {
            await FetchIfStillNeededAsync(kid, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task FetchIfStillNeededAsync(string? kid, CancellationToken cancellationToken)
    {
        await _fetching.WaitAsync(cancellationToken);
        try
        {
            // Another request may have fetched meanwhile.
            if (IsFresh(kid))
            {
                return;
            }

            // A key named right after a fetch waits for the floor (at most a second) rather than being refused:
            // tokens naming made-up keys can make this process ask Identity once a second, no more.
            var sinceFetch = clock.GetUtcNow() - _fetchedAt;
            if (sinceFetch < UnknownKeyFloor)
            {
                await Task.Delay(UnknownKeyFloor - sinceFetch, clock, cancellationToken);
            }

            await FetchAsync(cancellationToken);
        }
        finally
        {
            _fetching.Release();
        }
    }

    /// <summary>The key is known and the set was fetched within <see cref="Refresh"/>; a token with no key id needs no fetch of its own.</summary>
    private bool IsFresh(string? kid) =>
        clock.GetUtcNow() - _fetchedAt < Refresh && (kid is null || _keys.Any(k => k.KeyId == kid));

    public void Dispose()
    {
        _http.Dispose();
        _fetching.Dispose();
    }

    private async Task FetchAsync(CancellationToken cancellationToken)
    {
        _fetchedAt = clock.GetUtcNow();
        var address = new Uri(issuer.Url!, SigningKeyEndpoints.KeySetPath.TrimStart('/'));
        try
        {
            var json = await _http.GetStringAsync(address, cancellationToken);
            var set = new JsonWebKeySet(json);
            _keys = set.Keys.Where(k => k.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && !k.HasPrivateKey).Cast<SecurityKey>().ToList();
            FetchedSuccessfullyAt = clock.GetUtcNow();
        }
        catch (Exception problem) when (problem is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
        {
            LogFetchFailed(problem, address.ToString(), _keys.Count);
        }
    }

    private static string? KeyIdOf(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return new JsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            return null; // not a JWT: validation refuses it anyway
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch Identity's signing keys from {Address}; the {Count} keys known so far stay in use")]
    private partial void LogFetchFailed(Exception exception, string address, int count);
}
