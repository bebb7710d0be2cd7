using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Shared.Security;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

/// <summary>Issue 14: user tokens only Identity's process can sign (ES256), its published key set, rotation and retirement.</summary>
public sealed class SigningKeyTests
{
    [Fact]
    public async Task Identity_publishes_only_the_public_half_of_its_keys_and_a_discovery_document_naming_them()
    {
        using var factory = new PlatformFactory();
        var client = factory.CreateClient();

        var jwks = await client.GetStringAsync("/.well-known/jwks.json");
        var discovery = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        var key = JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Should().ContainSingle().Subject;
        key.GetProperty("kty").GetString().Should().Be("EC");
        key.GetProperty("crv").GetString().Should().Be("P-256");
        key.GetProperty("alg").GetString().Should().Be("ES256");
        key.TryGetProperty("d", out _).Should().BeFalse("the private parameter never leaves the key ring");
        jwks.Should().NotContain("\"d\"");
        discovery.GetProperty("jwks_uri").GetString().Should().EndWith("/.well-known/jwks.json");
        discovery.GetProperty("issuer").GetString().Should().Be("platform");
    }

    [Fact]
    public async Task After_a_rotation_new_tokens_use_the_new_key_at_once_and_tokens_of_the_old_one_still_work()
    {
        using var factory = new PlatformFactory();
        var before = await factory.CreateAdminClientAsync();
        var oldToken = before.DefaultRequestHeaders.Authorization!.Parameter!;

        var kid = SigningKeyRing.Rotate(Path.Combine(factory.DataDirectory, "jwt-keys.json"), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(16));

        var newToken = await Eventually.MatchAsync(
            async () => (await factory.CreateAdminClientAsync()).DefaultRequestHeaders.Authorization!.Parameter!,
            token => new JsonWebToken(token).Kid == kid, TimeSpan.FromSeconds(5), "the running process reads the rotated ring");
        (await factory.CreateClient().GetWithTokenAsync("/api/identity/me", newToken)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await factory.CreateClient().GetWithTokenAsync("/api/identity/me", oldToken)).StatusCode.Should().Be(HttpStatusCode.OK, "the old key validates until its tokens have expired");
        var kids = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/.well-known/jwks.json")).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString());
        kids.Should().HaveCount(2).And.Contain(kid);
    }

    [Fact]
    public async Task A_key_whose_successor_is_older_than_the_longest_token_is_retired_and_its_tokens_refused()
    {
        using var factory = PlatformFactory.Production().With("Database:MigrateOnStartup", "true");
        var ring = factory.Services.GetRequiredService<IConfiguration>()["Jwt:KeyRingFile"]!;
        // The ring's key was made 16 minutes ago, and a newer one 15 min 31 s ago: longer than a token
        // lives (15 min) plus the clock skew (30 s).
        var crafted = ring + ".crafted";
        var now = DateTimeOffset.UtcNow;
        var retired = SigningKeyRing.Rotate(crafted, now.AddMinutes(-16), TimeSpan.FromMinutes(15.5));
        var retiredKey = KeyOf(crafted, retired);
        var current = SigningKeyRing.Rotate(crafted, now.AddMinutes(-15.5).AddSeconds(-1), TimeSpan.FromMinutes(15.5));
        File.Move(crafted, ring, overwrite: true);
        await Eventually.MatchAsync(() => factory.CreateClient().GetStringAsync("/.well-known/jwks.json"), jwks => jwks.Contains(current, StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), "the running process reads the ring again");
        var admin = await factory.CreateSignedInClientAsync("root@example.com", PlatformFactory.ProductionAdminPassword);
        var session = new JsonWebToken(admin.DefaultRequestHeaders.Authorization!.Parameter!);

        var withRetired = SignLike(session, retiredKey);
        var withCurrent = SignLike(session, KeyOf(ring, current));
        new JsonWebToken(admin.DefaultRequestHeaders.Authorization!.Parameter!).Kid.Should().Be(current);

        (await factory.CreateClient().GetWithTokenAsync("/api/identity/me", withCurrent)).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await factory.CreateClient().GetWithTokenAsync("/api/identity/me", withRetired)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/.well-known/jwks.json")).RootElement.GetProperty("keys").GetArrayLength()
            .Should().Be(1, "a retired key is no longer published");
    }

    [Fact]
    public async Task A_process_without_Identity_checks_tokens_with_the_published_keys_only_and_holds_nothing_that_signs()
    {
        using var folder = new TempDataFolder();
        await using var identity = await HostProcess.StartAsync(HostProcess.PlatformHost, folder.Path, ServiceCredentials.IdentitySettings);
        using var catalog = CatalogOnly(identity.BaseAddress);
        var token = await AdminTokenAsync(identity);

        (await CreateProductAsync(catalog, token)).StatusCode.Should().Be(HttpStatusCode.Created);
        var foreign = new JsonWebToken(token) is var real ? SignLike(real, new SigningCredentials(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = real.Kid }, SecurityAlgorithms.EcdsaSha256)) : null;
        await (await CreateProductAsync(catalog, foreign!)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        // A rotation in Identity's process: its next token names a key the other process has not seen yet.
        var kid = SigningKeyRing.Rotate(Path.Combine(folder.Path, "jwt-keys.json"), DateTimeOffset.UtcNow, TimeSpan.FromMinutes(16));
        var rotated = await Eventually.MatchAsync(() => AdminTokenAsync(identity), t => new JsonWebToken(t).Kid == kid, TimeSpan.FromSeconds(5));
        (await CreateProductAsync(catalog, rotated)).StatusCode.Should().Be(HttpStatusCode.Created, "an unknown key id makes it fetch the key set before checking");
        (await CreateProductAsync(catalog, token)).StatusCode.Should().Be(HttpStatusCode.Created, "the old key still validates");

        catalog.Services.GetService<ITokenSigningKeys>().Should().BeNull("only Identity's process holds signing keys");
        catalog.Services.GetRequiredService<RemoteSigningKeys>().Keys.Should().NotBeEmpty()
            .And.AllSatisfy(k => ((JsonWebKey)k).HasPrivateKey.Should().BeFalse("it holds the public halves only"));
        catalog.Services.GetRequiredService<IConfiguration>()["Jwt:KeyRingFile"].Should().BeNull();
        Directory.EnumerateFiles(catalog.DataDirectory).Should().NotContain(f => f.EndsWith("jwt-keys.json", StringComparison.Ordinal));
        await (await catalog.CreateClient().GetAsync("/.well-known/jwks.json")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rotate_keys_creates_the_first_ring_outside_Development_and_adds_to_it_after()
    {
        using var folder = new TempDataFolder();
        Directory.CreateDirectory(folder.Path);
        var ring = Path.Combine(folder.Path, "secrets", "jwt-keys.json");
        Task<ExternalCommand.Result> RotateAsync() => ExternalCommand.RunAsync("dotnet", [HostProcess.PlatformHost, "rotate-keys"], folder.Path, TimeSpan.FromSeconds(60), environment =>
        {
            environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            environment["AllowedHosts"] = "localhost";
            environment["Database__DataDirectory"] = folder.Path;
            environment["Jwt__KeyRingFile"] = ring;
        });

        var first = await RotateAsync();
        first.ExitCode.Should().Be(0, first.Output + first.Errors);
        var second = await RotateAsync();
        second.ExitCode.Should().Be(0, second.Output + second.Errors);

        JsonDocument.Parse(await File.ReadAllTextAsync(ring)).RootElement.GetProperty("keys").GetArrayLength().Should().Be(2);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(ring).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        Directory.EnumerateFiles(Path.GetDirectoryName(ring)!).Should().ContainSingle("no temporary file is left behind");
    }

    [Fact]
    public void A_process_without_Identity_and_no_address_for_it_refuses_to_start_naming_the_setting()
    {
        using var factory = CatalogOnly(identity: null);

        var start = () => factory.CreateClient();

        start.Should().Throw<Exception>().Which.ToString().Should().Contain("Modules:Identity:Url");
    }

    internal static PlatformFactory CatalogOnly(Uri? identity)
    {
        var factory = new PlatformFactory();
        foreach (var module in new[] { "Identity", "Notifications", "Ordering", "Payments", "Inventory" })
        {
            factory.With($"Modules:{module}:Enabled", "false");
        }

        return factory.With("Modules:Identity:Url", identity?.ToString())
            .With("Service:Name", ServiceCredentials.CatalogHost)
            .With("Service:Secret", ServiceCredentials.CatalogHostSecret);
    }

    internal static async Task<string> AdminTokenAsync(HostProcess identity) =>
        (await (await identity.Client.LoginAsync(PlatformFactory.AdminEmail, PlatformFactory.AdminPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK)).AccessToken;

    internal static Task<HttpResponseMessage> CreateProductAsync(PlatformFactory catalog, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/products")
        {
            Content = JsonContent.Create(new { sku = $"KEY-{Guid.NewGuid():N}"[..12], name = "Key", description = "d", category = "Keys", price = new { amount = 1m, currency = "EUR" } }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return catalog.CreateClient().SendAsync(request);
    }

    /// <summary>The same claims and lifetime as a real token, signed with another key.</summary>
    private static string SignLike(JsonWebToken real, SigningCredentials key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = real.Issuer,
        Audience = real.Audiences.Single(),
        Subject = new ClaimsIdentity(real.Claims.Where(c => c.Type is not ("aud" or "iss" or "exp" or "nbf" or "iat"))),
        IssuedAt = DateTime.UtcNow,
        NotBefore = DateTime.UtcNow,
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = key,
    });

    private static SigningCredentials KeyOf(string ring, string kid)
    {
        var pem = JsonDocument.Parse(File.ReadAllText(ring)).RootElement.GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("kid").GetString() == kid).GetProperty("privateKey").GetString()!;
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256);
    }
}
