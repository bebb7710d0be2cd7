using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

/// <summary>Issue 9, findings 3, 6 and 7: weak secrets, hostile input, and the lower ones.</summary>
public sealed class HardeningFindingsTests
{
    private const string StrongAdminPassword = "Quiet-Harbor-Violin-Maple-2049";

    public static TheoryData<string> WeakKeys => new() { "p384", "rsa" };

    [Theory]
    [MemberData(nameof(WeakKeys))]
    public void Production_refuses_a_signing_key_that_is_not_p256(string kind)
    {
        using var factory = Production(StrongAdminPassword);
        factory.With("Jwt:KeyRingFile", TestKeyRings.Weak(factory.DataDirectory, kind));

        var start = () => factory.CreateClient();

        start.Should().Throw<Exception>().Which.ToString().Should().Contain("not an ECDSA P-256");
    }

    [Fact]
    public void Production_refuses_a_guessable_admin_password()
    {
        using var factory = Production("aaaaaaaaaa");

        var start = () => factory.CreateClient();

        start.Should().Throw<Exception>().Which.ToString().Should().Contain("Identity:Admin:Password");
    }

    [Fact]
    public async Task Production_starts_with_a_random_key_and_a_strong_admin_password()
    {
        using var factory = Production(StrongAdminPassword);

        (await factory.CreateClient().GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_guessable_password_is_refused_with_the_estimators_advice()
    {
        using var factory = new PlatformFactory();

        var response = await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail(), "aaaaaaaaaa");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty("password")[0].GetString().Should().Contain("guess");
    }

    public static TheoryData<string, string, string> HostileInput => new()
    {
        { "eve\r\ninfo: FORGED x@example.com", "Eve", "email" },
        { "<script>alert(1)</script>@x", "Eve", "email" },
        { "two words@example.com", "Eve", "email" },
        { IdentityApi.NewEmail(), "Eve\r\ninfo: FORGED", "displayName" },
        { IdentityApi.NewEmail(), "Eve\u0000", "displayName" },
        { IdentityApi.NewEmail(), "Eve\u202Egnp.exe", "displayName" },
    };

    [Theory]
    [MemberData(nameof(HostileInput))]
    public async Task Emails_and_names_with_control_or_direction_characters_are_refused(string email, string displayName, string field)
    {
        using var factory = new PlatformFactory();

        var response = await factory.CreateClient().RegisterAsync(email, PlatformFactory.CustomerPassword, displayName);

        await response.ShouldHaveFieldErrorsAsync(field);
    }

    [Fact]
    public void A_value_with_line_breaks_or_direction_overrides_cannot_forge_or_disguise_a_log_line()
    {
        using var factory = new PlatformFactory();
        factory.CreateClient();
        var options = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>>().CurrentValue;
        var formatter = factory.Services.GetServices<Microsoft.Extensions.Logging.Console.ConsoleFormatter>().Single(f => f.Name == options.FormatterName);
        var output = new StringWriter();
        var state = "Notification to eve\r\ninfo: FORGED line \u202Egnp.exe";
        formatter.Write(
            new Microsoft.Extensions.Logging.Abstractions.LogEntry<string>(Microsoft.Extensions.Logging.LogLevel.Information, "Test", new Microsoft.Extensions.Logging.EventId(1), state, null, (text, _) => text),
            null, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2, "one entry is one header line and one message line, whatever the value");
        lines.Should().NotContain(line => line.TrimStart().StartsWith("info: FORGED", StringComparison.Ordinal));
        output.ToString().Should().Contain("eve\\r\\ninfo: FORGED line \\u202Egnp.exe");
    }

    [Fact]
    public async Task Production_hides_swagger_bearer_error_details_and_the_server_header_and_sends_long_hsts()
    {
        using var factory = Production(StrongAdminPassword).With("AllowedHosts", "shop.example.com");
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://shop.example.com") });

        await (await client.GetAsync("/swagger/v1/swagger.json")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var unauthorized = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/identity/me").WithToken("e30.e30.e30"));
        unauthorized.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unauthorized.Headers.WwwAuthenticate.ToString().Should().NotContain("error_description");
        var live = await client.GetAsync("/health/live");
        live.Headers.Contains("Server").Should().BeFalse();
        var hsts = live.Headers.GetValues("Strict-Transport-Security").Single();
        hsts.Should().Contain("includeSubDomains");
        int.Parse(hsts.Split(';')[0].Split('=')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThanOrEqualTo(180 * 24 * 3600);
    }

    [Fact]
    public void Production_refuses_any_host_unless_asked_on_purpose()
    {
        using var anyHost = Production(StrongAdminPassword).With("AllowedHosts", "*");

        var start = () => anyHost.CreateClient();

        start.Should().Throw<Exception>().Which.ToString().Should().Contain("AllowedHosts");
    }

    [Fact]
    public async Task A_missing_body_is_explained_in_the_clients_terms()
    {
        using var factory = new PlatformFactory();
        var content = new StringContent(string.Empty, System.Text.Encoding.UTF8, "application/json");

        var response = await factory.CreateClient().PostAsync("/api/identity/register", content);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.ToString().Should().NotContain("parameter").And.NotContain("Implicit body");
    }

    [Fact]
    public async Task The_admin_seed_refuses_to_start_when_its_email_belongs_to_a_customer()
    {
        using var folder = new TempDataFolder();
        const string email = "taken@example.com";
        using (var first = PlatformFactory.On(folder.Path).With("Identity:Admin:Email", "someone-else@example.com"))
        {
            (await first.CreateClient().RegisterAsync(email)).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var second = PlatformFactory.On(folder.Path).With("Identity:Admin:Email", email);
        try
        {
            second.CreateClient();
        }
        catch (ObjectDisposedException)
        {
            // The host may stop before the test server has finished starting.
        }

        try
        {
            await Eventually.MatchAsync(() => Task.FromResult(second.Logs.Lines.ToList()),
                lines => lines.Any(line => line.Contains("Application is shutting down", StringComparison.Ordinal)), because: "the host stops itself");
            second.Logs.Lines.Should().Contain(line => line.Contains("Critical") && line.Contains(email) && line.Contains("not an administrator"));
            Environment.ExitCode.Should().Be(1, "a process that stops for bad configuration says so to its supervisor");
        }
        finally
        {
            Environment.ExitCode = 0; // process-wide: the test host must not exit with it
        }
    }

    [Fact]
    public async Task The_configured_admin_address_cannot_be_registered_even_before_the_admin_exists()
    {
        // No password: the seeder creates nobody, which is the window of a first start before it has run.
        using var factory = new PlatformFactory().With("Identity:Admin:Email", "Boss@Example.com").With("Identity:Admin:Password", "");

        var response = await factory.CreateClient().RegisterAsync("boss@example.com");

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Failed_sign_ins_from_one_client_do_not_lock_the_owner_out_from_another()
    {
        using var attacker = new PlatformFactory().WithServices(ConnectionFrom.Address("203.0.113.9"));
        var email = IdentityApi.NewEmail();
        (await attacker.CreateClient().RegisterAsync(email)).StatusCode.Should().Be(HttpStatusCode.Created);
        for (var i = 0; i < 6; i++)
        {
            await attacker.CreateClient().LoginAsync(email, "wrong-password-" + i);
        }

        (await attacker.CreateClient().LoginAsync(email, PlatformFactory.CustomerPassword)).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        using var owner = PlatformFactory.On(attacker.DataDirectory).WithServices(ConnectionFrom.Address("198.51.100.7"));
        (await owner.CreateClient().LoginAsync(email, PlatformFactory.CustomerPassword)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private static PlatformFactory Production(string adminPassword) => PlatformFactory.Production()
        .With("Identity:Admin:Email", "admin@platform.local")
        .With("Identity:Admin:Password", adminPassword)
        .With("Database:MigrateOnStartup", "true")
        .With("AllowedHosts", "localhost");
}
