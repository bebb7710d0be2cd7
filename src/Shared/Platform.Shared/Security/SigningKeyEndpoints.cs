using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Platform.Shared.Security;

/// <summary>
/// Where the process that signs user tokens publishes their public keys, OpenID-style: the discovery
/// document names the issuer and the key set. Anonymous by nature, and not part of the API's document.
/// </summary>
internal static class SigningKeyEndpoints
{
    public const string KeySetPath = "/.well-known/jwks.json";
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    public static void MapSigningKeyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(KeySetPath, (ITokenSigningKeys keys, HttpResponse response) =>
            {
                // Short: a rotation must reach the other processes within their refresh bound.
                response.Headers.CacheControl = "public, max-age=10";
                return Results.Json(new { keys = keys.PublicKeySet.Keys.Select(PublicOnly).ToList() });
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        endpoints.MapGet(DiscoveryPath, (HttpRequest request, IOptions<JwtOptions> jwt) => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = jwt.Value.Issuer,
                ["jwks_uri"] = $"{request.Scheme}://{request.Host}{request.PathBase}{KeySetPath}",
                ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
                ["token_endpoint_auth_signing_alg_values_supported"] = new[] { "ES256" },
            }))
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    /// <summary>The public parameters of an EC key, named as RFC 7517/7518 name them; nothing private can slip through.</summary>
    private static Dictionary<string, string> PublicOnly(Microsoft.IdentityModel.Tokens.JsonWebKey key) => new()
    {
        ["kty"] = key.Kty,
        ["use"] = "sig",
        ["alg"] = "ES256",
        ["kid"] = key.Kid,
        ["crv"] = key.Crv,
        ["x"] = key.X,
        ["y"] = key.Y,
    };
}
