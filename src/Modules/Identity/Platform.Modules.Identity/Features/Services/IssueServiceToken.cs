using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Services;

internal sealed record ServiceTokenRequest(string? ClientId, string? ClientSecret, string? Audience);

internal sealed record ServiceTokenResponse(string AccessToken, int ExpiresIn, string TokenType = "Bearer");

/// <summary>
/// <c>POST /internal/identity/token</c>: a service shows its own credential and names the module it will
/// call; it gets a five-minute service token for that module's internal endpoints only. No user can get one:
/// only a registered service's secret opens it. Refusals say nothing about which part was wrong.
/// </summary>
internal static class IssueServiceToken
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/token", Handle)
            .AllowAnonymous()
            .RequireRateLimiting(PlatformRateLimits.ServiceCredentials);

    private static Results<Ok<ServiceTokenResponse>, ProblemHttpResult> Handle(
        ServiceTokenRequest request, IOptions<ServiceClientsOptions> clients, IServiceTokenIssuer minter)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId) || string.IsNullOrEmpty(request.ClientSecret)
            || !clients.Value.TryGetValue(request.ClientId, out var client) || !SecretMatches(request.ClientSecret, client.SecretHash))
        {
            return TypedResults.Problem(title: "Unknown service or wrong secret.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (string.IsNullOrWhiteSpace(request.Audience) || !client.Audiences.Contains(request.Audience, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(title: $"{request.ClientId} may not call that module.", statusCode: StatusCodes.Status403Forbidden);
        }

        var issued = minter.Issue(request.ClientId, request.Audience);
        return TypedResults.Ok(new ServiceTokenResponse(issued.AccessToken, (int)issued.Lifetime.TotalSeconds));
    }

    private static bool SecretMatches(string secret, string expectedHash)
    {
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        byte[] expected;
        try
        {
            expected = Convert.FromHexString(expectedHash.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
