using System.Net;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

public sealed class StartupRefusalTests
{
    private const string GoodKey = "good";
    private const string GoodPassword = "Quiet-Harbor-Violin-Maple-2049";

    public static TheoryData<string?, string?, string> Refusals => new()
    {
        { null, GoodPassword, "Jwt:KeyRingFile must name" },
        { "missing", GoodPassword, "rotate-keys" },
        { "p384", GoodPassword, "not an ECDSA P-256" },
        { "rsa", GoodPassword, "not an ECDSA P-256" },
        { "public", GoodPassword, "not an ECDSA P-256 private key" },
        { GoodKey, null, "Identity:Admin:Password" },
        { GoodKey, "Dev-Admin-Password-1", "development default" },
        { GoodKey, "short", "at least 10" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Production_refuses_to_start_without_real_secrets(string? keyRing, string? adminPassword, string message)
    {
        using var factory = Production(keyRing, adminPassword);

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
    public async Task Development_generates_a_signing_key_ring_once_in_the_data_folder_readable_by_its_owner_only()
    {
        string ring;
        using (var first = new PlatformFactory())
        {
            await first.CreateClient().GetAsync("/health/live");
            var keyFile = Path.Combine(first.DataDirectory, "jwt-keys.json");
            File.Exists(keyFile).Should().BeTrue();
            ring = await File.ReadAllTextAsync(keyFile);
            ring.Should().Contain("BEGIN PRIVATE KEY");
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "only the owner may read the keys");
            }

            using var again = PlatformFactory.On(first.DataDirectory);
            await again.CreateClient().GetAsync("/health/live");
            (await File.ReadAllTextAsync(keyFile)).Should().Be(ring, "a restart keeps the keys, so tokens survive it");
        }
    }

    private static PlatformFactory Production(string? keyRing, string? adminPassword)
    {
        var factory = new PlatformFactory { Environment = "Production" };
        return factory
            .With("Database:MigrateOnStartup", "true")
            .With("Jwt:KeyRingFile", keyRing switch
            {
                null => null,
                GoodKey => TestKeyRings.Good(factory.DataDirectory),
                "missing" => Path.Combine(factory.DataDirectory, "no-such-ring.json"),
                _ => TestKeyRings.Weak(factory.DataDirectory, keyRing),
            })
            .With("Identity:Admin:Email", "root@example.com")
            .With("Identity:Admin:Password", adminPassword);
    }
}
