using Microsoft.IdentityModel.Tokens;

namespace Platform.Shared.Security;

/// <summary>
/// The keys user tokens are signed with, held only by the process that hosts Identity (which registers
/// them). Every other process validates tokens against their public half, fetched from that process's
/// <c>/.well-known/jwks.json</c>: no process but Identity's can sign a user token.
/// </summary>
public interface ITokenSigningKeys
{
    /// <summary>The newest key: new tokens are signed with it at once.</summary>
    SigningCredentials Current { get; }

    /// <summary>The public keys a token may be signed with now: the newest, and older ones until the longest token they signed has expired.</summary>
    IReadOnlyList<SecurityKey> ValidationKeys { get; }

    /// <summary>The same, as the JSON Web Key Set other processes fetch (public parameters only).</summary>
    JsonWebKeySet PublicKeySet { get; }
}
