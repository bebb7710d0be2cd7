using Platform.Testing;

namespace Platform.TemplateTests;

public sealed class ModuleTemplateTests : IDisposable
{
    private const string Module = "Widgets";
    private readonly string _copy = Path.Combine(Path.GetTempPath(), "platform-template-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_module_generated_by_the_template_builds_passes_the_architecture_tests_and_its_own_test()
    {
        CopyRepository(HostProcess.RepositoryRoot, _copy);
        var hive = Path.Combine(_copy, ".template-hive");

        await DotnetAsync("new", "install", Path.Combine(_copy, "templates", "platform-module"), "--debug:custom-hive", hive);
        var created = await DotnetAsync("new", "platform-module", "-n", Module, "--debug:custom-hive", hive);

        created.Should().Contain("Successfully added project(s) to a solution file").And.Contain("Successfully added a reference to the project file");
        File.ReadAllText(Path.Combine(_copy, "src", "Host", "Platform.Host.csproj")).Should().Contain($@"Modules\{Module}\Platform.Modules.{Module}\Platform.Modules.{Module}.csproj");
        File.ReadAllText(Path.Combine(_copy, "Platform.sln")).Should().Contain($"Platform.Modules.{Module}.Contracts");
        var generated = Directory.EnumerateFiles(Path.Combine(_copy, "src", "Modules", Module), "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(_copy, "tests", "Platform.IntegrationTests", Module)))
            .ToList();
        generated.Should().NotContain(path => path.Contains("Sample", StringComparison.OrdinalIgnoreCase));
        generated.Where(path => File.ReadAllText(path).Contains("sample", StringComparison.OrdinalIgnoreCase))
            .Should().BeEmpty("every trace of the template's own name is replaced");

        await DotnetAsync("build", "Platform.sln", "-p:TreatWarningsAsErrors=true", "--disable-build-servers");
        var architecture = await DotnetAsync("test", "tests/Platform.ArchitectureTests", "--no-build", "--disable-build-servers", "--logger", "console;verbosity=normal");
        var integration = await DotnetAsync("test", "tests/Platform.IntegrationTests", "--no-build", "--disable-build-servers", "--logger", "console;verbosity=normal",
            "--filter", $"FullyQualifiedName~{Module}|FullyQualifiedName~SqlServerMigrationTests|FullyQualifiedName~ApiSurfaceTests|FullyQualifiedName~EndpointAuthorizationTests");

        architecture.Should().Contain($"(name: \"{Module}\")", "the architecture rules cover the new module with no list to edit");
        integration.Should().Contain($"Passed Platform.IntegrationTests.{Module}.{Module}ItemTests.", "the example use case's own test runs");
    }

    public void Dispose()
    {
        var linked = Path.Combine(_copy, "tools", "openapi-lint", "node_modules");
        if (new DirectoryInfo(linked).LinkTarget is not null)
        {
            Directory.Delete(linked); // the link only, never the repository's packages
        }

        if (Directory.Exists(_copy))
        {
            Directory.Delete(_copy, recursive: true);
        }
    }

    // The working tree as it is (uncommitted changes included), without build output or local state. The
    // OpenAPI linter's installed packages are linked, not copied (they hold relative links of their own),
    // so the copy's lint needs no network.
    private static void CopyRepository(string from, string to)
    {
        string[] skipped = ["bin", "obj", ".git", "TestResults", "data", ".vs", ".idea", "node_modules"];
        var linter = Path.Combine(from, "node_modules");
        if (Path.GetFileName(from) == "openapi-lint" && Directory.Exists(linter))
        {
            Directory.CreateDirectory(to);
            Directory.CreateSymbolicLink(Path.Combine(to, "node_modules"), linter);
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(from).Where(d => !skipped.Contains(Path.GetFileName(d))))
        {
            CopyRepository(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    private async Task<string> DotnetAsync(params string[] arguments)
    {
        var result = await ExternalCommand.RunAsync("dotnet", arguments, _copy, TimeSpan.FromMinutes(8), environment =>
        {
            // The outer test run's MSBuild and test-host settings must not leak into the inner commands.
            foreach (var key in environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_HOST", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                environment.Remove(key);
            }

            environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            environment["DOTNET_CLI_UI_LANGUAGE"] = "en"; // the post-action messages are asserted in English
            environment["DOTNET_NOLOGO"] = "1";
        });
        var output = result.Output + result.Errors;
        result.ExitCode.Should().Be(0, $"dotnet {string.Join(' ', arguments)} must succeed:\n{output}");
        return output;
    }
}
