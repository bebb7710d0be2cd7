using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Platform.Testing;

/// <summary>What an API client of one address (a gateway) does: anonymous calls, signing in, the seeded administrator, a new customer.</summary>
public sealed class GatewayClient(Uri address)
{
    public Uri Address { get; } = address;

    public HttpClient Client(string? accessToken = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    public async Task<string> TokenAsync(string email, string password)
    {
        using var anonymous = Client();
        return (await (await anonymous.LoginAsync(email, password)).ReadAsAsync<TokenPair>(HttpStatusCode.OK)).AccessToken;
    }

    public async Task<HttpClient> SignedInAsync(string email, string password) => Client(await TokenAsync(email, password));

    public Task<HttpClient> AdminAsync() => SignedInAsync(PlatformFactory.AdminEmail, PlatformFactory.AdminPassword);

    public async Task<HttpClient> CustomerAsync(string? email = null)
    {
        email ??= IdentityApi.NewEmail();
        using (var anonymous = Client())
        {
            (await anonymous.RegisterAsync(email)).EnsureSuccessStatusCode();
        }

        return await SignedInAsync(email, PlatformFactory.CustomerPassword);
    }

    /// <summary>What Identity's process holds of a service's secret (Identity:Services:&lt;name&gt;:SecretHash).</summary>
    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
