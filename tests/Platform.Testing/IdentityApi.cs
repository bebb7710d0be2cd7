using System.Net.Http.Json;

namespace Platform.Testing;

public sealed record User(Guid Id, string Email, string DisplayName, List<string> Roles);

public sealed record UserPage(List<User> Items, int Page, int PageSize, int TotalCount);

public static class IdentityApi
{
    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string email, string password = PlatformFactory.CustomerPassword, string displayName = "Someone") =>
        client.PostAsJsonAsync("/api/identity/register", new { email, password, displayName });

    public static Task<HttpResponseMessage> LoginAsync(this HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/identity/login", new { email, password });

    public static Task<HttpResponseMessage> RefreshAsync(this HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/api/identity/refresh", new { refreshToken });

    public static HttpRequestMessage WithToken(this HttpRequestMessage request, string accessToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    public static Task<HttpResponseMessage> GetWithTokenAsync(this HttpClient client, string url, string accessToken) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url).WithToken(accessToken));
}
