using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using Platform.Testing;

namespace Platform.IntegrationTests.Identity;

public sealed class AccountFlowTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PlatformFactory _factory;
    private readonly HttpClient _client;

    public AccountFlowTests()
    {
        _factory = new PlatformFactory { Clock = _clock };
        _client = _factory.CreateClient();
    }

    [Fact]
    public async Task A_new_user_registers_signs_in_sees_themselves_refreshes_and_signs_out()
    {
        var email = IdentityApi.NewEmail();

        var registered = await (await _client.RegisterAsync(email.ToUpperInvariant(), displayName: "Ann")).ReadAsAsync<User>(HttpStatusCode.Created);
        registered.Roles.Should().Equal("Customer");

        var tokens = await (await _client.LoginAsync(email, PlatformFactory.CustomerPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        tokens.ExpiresIn.Should().Be(15 * 60);
        tokens.TokenType.Should().Be("Bearer");

        var me = await (await _client.GetWithTokenAsync("/api/identity/me", tokens.AccessToken)).ReadAsAsync<User>(HttpStatusCode.OK);
        me.Should().BeEquivalentTo(new { registered.Id, DisplayName = "Ann", Roles = new[] { "Customer" } });

        var refreshed = await (await _client.RefreshAsync(tokens.RefreshToken)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        refreshed.RefreshToken.Should().NotBe(tokens.RefreshToken);
        (await _client.GetWithTokenAsync("/api/identity/me", refreshed.AccessToken)).StatusCode.Should().Be(HttpStatusCode.OK);

        var logout = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/identity/logout").WithToken(refreshed.AccessToken));
        logout.StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await _client.RefreshAsync(refreshed.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_email_is_registered_once_in_any_letter_case()
    {
        var email = IdentityApi.NewEmail();
        (await _client.RegisterAsync(email)).StatusCode.Should().Be(HttpStatusCode.Created);

        await (await _client.RegisterAsync(email.ToUpperInvariant())).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    public static TheoryData<string, string, string, string[]> InvalidRegistrations => new()
    {
        { "not-an-email", "Copper-Fjord-Lumen-88", "Ann", ["email"] },
        { "", "Copper-Fjord-Lumen-88", "Ann", ["email"] },
        { "ann@example.com", "short", "Ann", ["password"] },
        { "ann@example.com", "ANN@example.com", "Ann", ["password"] },
        { "ann@example.com", new string('p', 129), "Ann", ["password"] },
        { "ann@example.com", "Copper-Fjord-Lumen-88", "", ["displayName"] },
        { "ann@example.com", "Copper-Fjord-Lumen-88", new string('n', 101), ["displayName"] },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task Registration_enforces_the_password_policy_and_field_rules(string email, string password, string displayName, string[] fields)
    {
        await (await _client.RegisterAsync(email, password, displayName)).ShouldHaveFieldErrorsAsync(fields);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_generic_401()
    {
        var email = IdentityApi.NewEmail();
        await _client.RegisterAsync(email);

        var wrongPassword = await (await _client.LoginAsync(email, "not the password")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var unknownEmail = await (await _client.LoginAsync(IdentityApi.NewEmail(), "not the password")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        wrongPassword.GetProperty("detail").GetString().Should().Be(unknownEmail.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Five_failures_lock_sign_in_for_five_minutes_even_with_the_right_password()
    {
        var email = IdentityApi.NewEmail();
        await _client.RegisterAsync(email);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await _client.LoginAsync(email, "wrong password")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        var locked = await _client.LoginAsync(email, PlatformFactory.CustomerPassword);
        await locked.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        locked.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromMinutes(5));

        _clock.Advance(TimeSpan.FromMinutes(4));
        (await _client.LoginAsync(email, PlatformFactory.CustomerPassword)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        (await _client.LoginAsync(email, PlatformFactory.CustomerPassword)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Unknown_emails_lock_exactly_like_real_ones_so_lockout_reveals_no_account()
    {
        var email = IdentityApi.NewEmail();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            (await _client.LoginAsync(email, "wrong password")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        await (await _client.LoginAsync(email, "wrong password")).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task A_successful_sign_in_resets_the_failure_count()
    {
        var email = IdentityApi.NewEmail();
        await _client.RegisterAsync(email);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            await _client.LoginAsync(email, "wrong password");
        }

        (await _client.LoginAsync(email, PlatformFactory.CustomerPassword)).StatusCode.Should().Be(HttpStatusCode.OK);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            (await _client.LoginAsync(email, "wrong password")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_reusing_it_revokes_the_whole_family()
    {
        var email = IdentityApi.NewEmail();
        await _client.RegisterAsync(email);
        var first = await (await _client.LoginAsync(email, PlatformFactory.CustomerPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        var otherDevice = await (await _client.LoginAsync(email, PlatformFactory.CustomerPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        var second = await (await _client.RefreshAsync(first.RefreshToken)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);

        await (await _client.RefreshAsync(first.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        await (await _client.RefreshAsync(second.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        (await _client.RefreshAsync(otherDevice.RefreshToken)).StatusCode.Should().Be(HttpStatusCode.OK, "another sign-in is another family");
    }

    [Fact]
    public async Task Refresh_tokens_expire()
    {
        var email = IdentityApi.NewEmail();
        await _client.RegisterAsync(email);
        var tokens = await (await _client.LoginAsync(email, PlatformFactory.CustomerPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);

        _clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromSeconds(1));

        await (await _client.RefreshAsync(tokens.RefreshToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage-token")]
    public async Task An_unknown_refresh_token_is_rejected(string token)
    {
        var response = await _client.RefreshAsync(token);

        response.StatusCode.Should().BeOneOf(HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized);
        await response.ShouldBeProblemAsync(response.StatusCode);
    }

    [Fact]
    public async Task Passwords_are_never_logged_or_returned()
    {
        const string password = "a-very-secret-passphrase";
        var email = IdentityApi.NewEmail();

        var registered = await (await _client.RegisterAsync(email, password)).Content.ReadAsStringAsync();
        var login = await (await _client.LoginAsync(email, password)).Content.ReadAsStringAsync();
        await _client.LoginAsync(email, password + "-wrong");
        await _client.RegisterAsync(email, password);

        registered.Should().NotContain(password).And.NotContainEquivalentOf("hash");
        login.Should().NotContain(password);
        _factory.Logs.Lines.Should().NotBeEmpty().And.NotContain(line => line.Contains(password, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
