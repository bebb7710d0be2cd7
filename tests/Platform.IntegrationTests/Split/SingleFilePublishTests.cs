using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issue 15: a single-file publish of the host, where no assembly has a file of its own, still finds its
/// modules (recorded at build) and still checks their placement (metadata read from memory).
/// </summary>
public sealed class SingleFilePublishTests
{
    [Fact]
    public async Task A_single_file_host_finds_its_modules_and_refuses_an_unreachable_owner_naming_the_setting()
    {
        using var folder = new TempDataFolder();
        var output = Path.Combine(folder.Path, "publish");
        var publish = await ExternalCommand.RunAsync("dotnet",
            ["publish", "src/Host", "-c", "Release", "--self-contained", "false", "-p:PublishSingleFile=true", "-p:PublishReadyToRun=false", "-o", output, "--nologo"],
            HostProcess.RepositoryRoot, TimeSpan.FromMinutes(5));
        publish.ExitCode.Should().Be(0, publish.Output + publish.Errors);
        Directory.EnumerateFiles(output, "*.dll").Should().BeEmpty("every assembly is inside the one file");

        var refused = await RunAsync(output, folder.Path, ("Messaging__Transport", "RabbitMQ"), ("Modules__Catalog__Enabled", "false"));

        refused.ExitCode.Should().NotBe(0);
        (refused.Output + refused.Errors).Should().Contain("Ordering asks Catalog 'catalog.product-snapshots', but Catalog is neither hosted here nor given an address")
            .And.Contain("Modules:Catalog:Url");

        await using var accepted = await HostProcess.StartAsync(Path.Combine(output, "Platform.Host"), folder.Path, new Dictionary<string, string>
        {
            ["Modules:Catalog:Enabled"] = "false",
            ["Modules:Catalog:Url"] = "http://localhost:5999/",
            ["Messaging:Transport"] = "RabbitMQ",
            ["Messaging:RabbitMQ:Uri"] = TestBroker.Uri.ToString(),
            ["Identity:Admin:Email"] = PlatformFactory.AdminEmail,
            ["Identity:Admin:Password"] = PlatformFactory.AdminPassword,
            ["Logging:LogLevel:Platform"] = "Information",
        });
        await Eventually.MatchAsync(() => Task.FromResult(accepted.Output), text => text.Contains("Modules hosted:", StringComparison.Ordinal));
        accepted.Output.Should().Contain("Modules hosted: Identity, Inventory, Notifications, Ordering, Payments; disabled: Catalog");
    }

    private static Task<ExternalCommand.Result> RunAsync(string output, string data, params (string Key, string Value)[] settings) =>
        ExternalCommand.RunAsync(Path.Combine(output, "Platform.Host"), [], output, TimeSpan.FromSeconds(60), environment =>
        {
            environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            environment["Database__DataDirectory"] = data;
            environment["Identity__Admin__Email"] = "admin@platform.local";
            environment["Identity__Admin__Password"] = PlatformFactory.AdminPassword;
            foreach (var (key, value) in settings)
            {
                environment[key] = value;
            }
        });
}
