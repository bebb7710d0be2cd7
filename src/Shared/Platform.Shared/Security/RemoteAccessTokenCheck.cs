using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.Extensions.Logging;

namespace Platform.Shared.Security;

/// <summary>
/// In a process that does not host Identity: whether a user token's session is still live, and with which
/// roles, asked of Identity's process (<c>GET /internal/identity/access/…</c>, with this process's service
/// token) and remembered for <c>Security:SessionCheckCacheDuration</c> (15 s). So a sign-out, a password
/// change, a lock or a role change reaches this process within that bound. While Identity cannot be
/// reached, the last answer stands, and a token never checked before runs with the roles it carries:
/// availability over a revocation that waits until Identity is back (at most the token's lifetime).
/// </summary>
internal sealed partial class RemoteAccessTokenCheck(
    ServiceTokenClient identity, TimeProvider clock, SessionCheckOptions options, ILogger<RemoteAccessTokenCheck> logger) : IAccessTokenCheck
{
    private readonly ConcurrentDictionary<(string User, string Session, string Stamp), (AccessTokenVerdict Verdict, DateTimeOffset Until)> _verdicts = new();
    private long _lastWarningTicks;

    public async ValueTask<AccessTokenVerdict> CheckAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var key = (principal.FindFirstValue(PlatformClaims.Subject) ?? string.Empty,
            principal.FindFirstValue(PlatformClaims.SessionId) ?? string.Empty,
            principal.FindFirstValue(PlatformClaims.SecurityStamp) ?? string.Empty);
        var now = clock.GetUtcNow();
        if (_verdicts.TryGetValue(key, out var known) && now < known.Until)
        {
            return known.Verdict;
        }

        if (_verdicts.Count > 100_000)
        {
            _verdicts.Clear(); // bounded: a flood of distinct tokens cannot grow it without end
        }

        try
        {
            var verdict = await AskAsync(key, cancellationToken);
            _verdicts[key] = (verdict, now + options.CacheDuration);
            return verdict;
        }
        catch (Exception problem) when (problem is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var last = Interlocked.Read(ref _lastWarningTicks);
            if (now.UtcTicks - last >= TimeSpan.TicksPerSecond * 30 && Interlocked.CompareExchange(ref _lastWarningTicks, now.UtcTicks, last) == last)
            {
                LogUnreachable(problem, identity.IdentityUrl.ToString());
            }

            return known.Verdict ?? AccessTokenVerdict.Valid(principal.FindAll(PlatformClaims.Role).Select(c => c.Value).ToList());
        }
    }

    private async Task<AccessTokenVerdict> AskAsync((string User, string Session, string Stamp) key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(identity.IdentityUrl,
            $"internal/identity/access/{Uri.EscapeDataString(key.User)}?sessionId={Uri.EscapeDataString(key.Session)}&stamp={Uri.EscapeDataString(key.Stamp)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await identity.TokenForAsync("Identity", cancellationToken));
        using var response = await identity.Http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<AccessAnswer>(cancellationToken) ?? throw new HttpRequestException("Identity answered nothing.");
        return answer.Valid ? AccessTokenVerdict.Valid(answer.Roles) : AccessTokenVerdict.Invalid(answer.Reason ?? "The session has ended.");
    }

    private sealed record AccessAnswer(bool Valid, IReadOnlyList<string> Roles, string? Reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask Identity at {Address} whether a session is live; the last answer (or the token's own roles) stands")]
    private partial void LogUnreachable(Exception exception, string address);
}

/// <summary>The <c>Security</c> section's session check across processes.</summary>
public sealed class SessionCheckOptions
{
    /// <summary>How long another process trusts Identity's last answer about a session: the bound on revocation across processes.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(15);
}
