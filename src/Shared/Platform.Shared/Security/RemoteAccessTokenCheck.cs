using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.Extensions.Logging;

namespace Platform.Shared.Security;

/// <summary>
/// In a process that does not host Identity: whether a user token's session is still live, and with which
/// roles, asked of Identity's process (<c>POST /internal/identity/access</c>, with this process's service
/// token) and remembered for <c>Security:SessionCheck:CacheDuration</c> (15 s). So a sign-out, a password
/// change, a lock or a role change reaches this process within that bound. While Identity cannot be
/// reached (or answers 429/5xx), the last answer stands, and a token never checked before runs with the
/// roles it carries: availability over a revocation that waits until Identity is back (at most the
/// token's lifetime). If Identity refuses this process's credential (401/403), it fails closed.
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
        catch (HttpRequestException refused) when (refused.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            // Identity answered, and refuses this process's credential: fail closed, and say so loudly.
            LogCredentialRefused(refused, (int)refused.StatusCode!);
            return AccessTokenVerdict.Invalid("This process could not check the session with Identity.");
        }
        catch (Exception problem) when (problem is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Unreachable, timing out, overloaded (429, 5xx): the last answer stands, or the token's own roles.
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
        // In the body, not the address: session ids and stamps stay out of access logs.
        using var response = await identity.SendAsync("Identity", () => new HttpRequestMessage(HttpMethod.Post, new Uri(identity.IdentityUrl, "internal/identity/access"))
        {
            Content = JsonContent.Create(new { userId = key.User, sessionId = key.Session, stamp = key.Stamp }),
        }, identity.Http, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<AccessAnswer>(cancellationToken) ?? throw new HttpRequestException("Identity answered nothing.");
        return answer.Valid ? AccessTokenVerdict.Valid(answer.Roles) : AccessTokenVerdict.Invalid(answer.Reason ?? "The session has ended.");
    }

    private sealed record AccessAnswer(bool Valid, IReadOnlyList<string> Roles, string? Reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Identity refuses this process's service credential ({Status}): user tokens are refused here until Service:Name/Service:Secret match Identity:Services")]
    private partial void LogCredentialRefused(Exception exception, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask Identity at {Address} whether a session is live; the last answer (or the token's own roles) stands")]
    private partial void LogUnreachable(Exception exception, string address);
}

/// <summary>The <c>Security</c> section's session check across processes.</summary>
public sealed class SessionCheckOptions
{
    /// <summary>How long another process trusts Identity's last answer about a session: the bound on revocation across processes (1 s to 5 min).</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(15);

    public SessionCheckOptions Validated() =>
        CacheDuration >= TimeSpan.FromSeconds(1) && CacheDuration <= TimeSpan.FromMinutes(5) ? this
            : throw new InvalidOperationException("Security:SessionCheck:CacheDuration must be between 1 second and 5 minutes: it is how late a sign-out may reach another process.");
}
