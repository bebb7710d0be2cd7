using System.Security.Cryptography;
using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Testing;
using Platform.Shared.Security;

namespace Platform.IntegrationTests.Security;

public sealed class AccessTokenTests(PlatformFactory factory) : IClassFixture<PlatformFactory>
{
    private JwtOptions Jwt => factory.Services.GetRequiredService<IOptions<JwtOptions>>().Value;

    [Fact]
    public async Task A_token_signed_like_the_platform_signs_is_accepted()
    {
        var user = await SignedInUserAsync();

        var response = await factory.CreateClient().GetWithTokenAsync("/api/identity/me", Forge(user));

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the forging helper must be right for the rejections below to mean anything");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic YWRtaW46cGFzc3dvcmQ=")]
    [InlineData("Bearer")]
    public async Task A_request_without_a_bearer_token_is_anonymous_and_challenged_for_one(string? authorization)
    {
        // Only requests with an Authorization header go through authentication; the rest must end exactly as the bearer
        // handlers would have left them: anonymous, a 401 naming the Bearer scheme, and anonymous endpoints open.
        var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/me");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
        (await client.GetAsync("/api/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    public static TheoryData<string> Forgeries => new() { "expired", "wrong-audience", "wrong-issuer", "other-key", "other-key-unnamed", "symmetric", "hs256-with-the-public-key", "not-yet-valid" };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Tokens_that_fail_validation_are_a_401(string forgery)
    {
        var user = await SignedInUserAsync();
        var now = DateTime.UtcNow;
        var token = forgery switch
        {
            "expired" => Forge(user, issuedAt: now.AddHours(-2), expires: now.AddHours(-1)),
            "wrong-audience" => Forge(user, audience: "someone-else"),
            "wrong-issuer" => Forge(user, issuer: "evil"),
            "other-key" => Forge(user, key: new SigningCredentials(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = Current.Key.KeyId }, SecurityAlgorithms.EcdsaSha256)),
            "other-key-unnamed" => Forge(user, key: new SigningCredentials(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)), SecurityAlgorithms.EcdsaSha256)),
            "symmetric" => Forge(user, key: new SigningCredentials(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)), SecurityAlgorithms.HmacSha256)),
            // Algorithm confusion: HS256 keyed with the published public key, which anyone can read.
            "hs256-with-the-public-key" => Forge(user, key: new SigningCredentials(
                new SymmetricSecurityKey(PublishedKeyBytes()) { KeyId = Current.Key.KeyId }, SecurityAlgorithms.HmacSha256)),
            "not-yet-valid" => Forge(user, issuedAt: now.AddHours(1), expires: now.AddHours(2)),
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        await (await factory.CreateClient().GetWithTokenAsync("/api/identity/me", token)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_tampered_token_is_a_401()
    {
        var customer = await factory.CreateCustomerClientAsync();
        var token = customer.DefaultRequestHeaders.Authorization!.Parameter!;
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("\"Customer\"", "\"Admin\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";

        await (await factory.CreateClient().GetWithTokenAsync("/api/identity/me", tampered)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unsigned_alg_none_token_is_a_401()
    {
        var user = await SignedInUserAsync();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode($$"""{"sub":"{{user.Id}}","role":"Admin","iss":"{{Jwt.Issuer}}","aud":"{{Jwt.Audience}}","exp":{{exp}}}""");

        await (await factory.CreateClient().GetWithTokenAsync("/api/identity/me", $"{header}.{payload}.")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer not.a.jwt")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    public async Task Malformed_authorization_headers_are_a_401(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/identity/me");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        await (await factory.CreateClient().SendAsync(request)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>A registered, signed-in user: forged tokens name its live session and security stamp, as real ones do.</summary>
    private async Task<SignedInUser> SignedInUserAsync()
    {
        var email = IdentityApi.NewEmail();
        var user = await (await factory.CreateClient().RegisterAsync(email)).ReadAsAsync<User>(HttpStatusCode.Created);
        var tokens = await (await factory.CreateClient().LoginAsync(email, PlatformFactory.CustomerPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        var real = new JsonWebToken(tokens.AccessToken);
        return new SignedInUser(user.Id, real.GetClaim(PlatformClaims.SessionId).Value, real.GetClaim(PlatformClaims.SecurityStamp).Value);
    }

    private byte[] PublishedKeyBytes()
    {
        var published = factory.Services.GetRequiredService<ITokenSigningKeys>().PublicKeySet.Keys.Single();
        return [.. Base64UrlEncoder.DecodeBytes(published.X), .. Base64UrlEncoder.DecodeBytes(published.Y)];
    }

    private SigningCredentials Current => factory.Services.GetRequiredService<ITokenSigningKeys>().Current;

    private string Forge(SignedInUser user, DateTime? issuedAt = null, DateTime? expires = null, string? audience = null, string? issuer = null, SigningCredentials? key = null)
    {
        var jwt = Jwt;
        var issued = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? jwt.Issuer,
            Audience = audience ?? jwt.Audience,
            Subject = new ClaimsIdentity([
                new Claim("sub", user.Id.ToString()), new Claim("role", "Customer"),
                new Claim(PlatformClaims.SessionId, user.SessionId), new Claim(PlatformClaims.SecurityStamp, user.Stamp)]),
            IssuedAt = issued,
            NotBefore = issued,
            Expires = expires ?? issued.AddMinutes(10),
            SigningCredentials = key ?? Current,
        });
    }

    private sealed record SignedInUser(Guid Id, string SessionId, string Stamp);
}
