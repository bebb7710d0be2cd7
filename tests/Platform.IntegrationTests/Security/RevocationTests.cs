using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

/// <summary>Issue 9, finding 1: revocation takes effect on the next request, in this process at once.</summary>
public sealed class RevocationTests : IDisposable
{
    private readonly PlatformFactory _factory = new();

    [Fact]
    public async Task A_demoted_admins_old_token_gets_403_on_the_next_admin_call_and_cannot_restore_itself()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var (second, secondId, _) = await SignedInAsync();
        await PromoteAsync(admin, secondId, "Admin", "Customer");
        var (promoted, _, _) = await SignInAsync(second);
        (await promoted.GetAsync("/api/identity/users")).StatusCode.Should().Be(HttpStatusCode.OK);

        await PromoteAsync(admin, secondId, "Customer");

        await (await promoted.GetAsync("/api/identity/users")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var selfRestore = await promoted.PutAsJsonAsync($"/api/identity/users/{secondId}/roles", new { roles = new[] { "Admin" } });
        await selfRestore.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task After_logout_the_old_access_token_is_a_401()
    {
        var (_, _, client) = await SignedInAsync();
        (await client.GetAsync("/api/identity/me")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await client.PostAsync("/api/identity/logout", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await client.GetAsync("/api/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_ends_only_the_current_session_and_sign_out_everywhere_ends_them_all()
    {
        var (credentials, _, laptop) = await SignedInAsync();
        var (phone, _, _) = await SignInAsync(credentials);
        var (tablet, _, _) = await SignInAsync(credentials);

        (await laptop.PostAsync("/api/identity/logout", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await laptop.GetAsync("/api/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await phone.GetAsync("/api/identity/me")).StatusCode.Should().Be(HttpStatusCode.OK, "another device's session goes on");

        (await phone.PostAsync("/api/identity/logout-everywhere", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await phone.GetAsync("/api/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await tablet.GetAsync("/api/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task After_a_password_change_the_old_refresh_and_access_tokens_are_dead()
    {
        var (credentials, _, client) = await SignedInAsync();
        var (other, _, otherTokens) = await SignInAsync(credentials);

        var change = await client.PostAsJsonAsync("/api/identity/change-password",
            new { currentPassword = credentials.Password, newPassword = "Meadow-Lantern-Quartz-71" });

        change.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await client.GetAsync("/api/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await other.GetAsync("/api/identity/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await _factory.CreateClient().RefreshAsync(otherTokens.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await _factory.CreateClient().LoginAsync(credentials.Email, credentials.Password)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await _factory.CreateClient().LoginAsync(credentials.Email, "Meadow-Lantern-Quartz-71")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_a_strong_new_one()
    {
        var (credentials, _, client) = await SignedInAsync();

        await (await client.PostAsJsonAsync("/api/identity/change-password", new { currentPassword = "not-it-at-all-99", newPassword = "Meadow-Lantern-Quartz-71" }))
            .ShouldHaveFieldErrorsAsync("currentPassword");
        await (await client.PostAsJsonAsync("/api/identity/change-password", new { currentPassword = credentials.Password, newPassword = "password123" }))
            .ShouldHaveFieldErrorsAsync("newPassword");
        (await client.GetAsync("/api/identity/me")).StatusCode.Should().Be(HttpStatusCode.OK, "nothing changed");
    }

    public void Dispose() => _factory.Dispose();

    private async Task<(Credentials Credentials, Guid Id, HttpClient Client)> SignedInAsync()
    {
        var credentials = new Credentials(IdentityApi.NewEmail(), PlatformFactory.CustomerPassword);
        var user = await (await _factory.CreateClient().RegisterAsync(credentials.Email, credentials.Password)).ReadAsAsync<User>(HttpStatusCode.Created);
        var (client, _, _) = await SignInAsync(credentials);
        return (credentials, user.Id, client);
    }

    private async Task<(HttpClient Client, Credentials Credentials, TokenPair Tokens)> SignInAsync(Credentials credentials)
    {
        var client = _factory.CreateClient();
        var tokens = await (await client.LoginAsync(credentials.Email, credentials.Password)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        return (client, credentials, tokens);
    }

    private static async Task PromoteAsync(HttpClient admin, Guid id, params string[] roles) =>
        (await admin.PutAsJsonAsync($"/api/identity/users/{id}/roles", new { roles })).StatusCode.Should().Be(HttpStatusCode.OK);

    private sealed record Credentials(string Email, string Password);
}
