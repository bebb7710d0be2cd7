using System.Net;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

public sealed class StartupRefusalTests
{
    private const string GoodKey = "q3Vx8tR1yZ7mP0cL5nB2wK9jH4fD6sA1eG8uI3oT5rY=";
    private const string GoodPassword = "Quiet-Harbor-Violin-Maple-2049";

    public static TheoryData<string?, string?, string> Refusals => new()
    {
        { null, GoodPassword, "Jwt:SigningKey" },
        { "too-short-key", GoodPassword, "Jwt:SigningKey" },
        { GoodKey, null, "Identity:Admin:Password" },
        { GoodKey, "Dev-Admin-Password-1", "development default" },
        { GoodKey, "short", "at least 10" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Production_refuses_to_start_without_real_secrets(string? signingKey, string? adminPassword, string message)
    {
        using var factory = Production(signingKey, adminPassword);

        var start = () => factory.CreateClient();

        start.Should().Throw<Exception>().Which.ToString().Should().Contain(message);
        string[] databases = Directory.Exists(factory.DataDirectory) ? Directory.GetFiles(factory.DataDirectory, "*.db") : [];
        databases.Should().BeEmpty("settings are refused before any database is touched");
    }

    [Fact]
    public async Task Production_starts_with_real_secrets()
    {
        using var factory = Production(GoodKey, GoodPassword);

        (await factory.CreateClient().GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Development_generates_a_signing_key_once_in_the_data_folder()
    {
        string key;
        using (var first = new PlatformFactory())
        {
            await first.CreateClient().GetAsync("/health/live");
            var keyFile = Path.Combine(first.DataDirectory, "jwt-signing.key");
            File.Exists(keyFile).Should().BeTrue();
            key = await File.ReadAllTextAsync(keyFile);
            System.Text.Encoding.UTF8.GetByteCount(key).Should().BeGreaterThanOrEqualTo(32);
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "only the owner may read the key");
            }
        }

        key.Should().NotBeNullOrWhiteSpace();
    }

    private static PlatformFactory Production(string? signingKey, string? adminPassword) =>
        new PlatformFactory { Environment = "Production" }
            .With("Database:MigrateOnStartup", "true")
            .With("Jwt:SigningKey", signingKey)
            .With("Identity:Admin:Email", "root@example.com")
            .With("Identity:Admin:Password", adminPassword);
}
