using System.Text.Json;

namespace Platform.Testing;

/// <summary>
/// Runs the Redocly CLI pinned in tools/openapi-lint over an OpenAPI document, installing it with
/// <c>npm ci</c> on first use (Node.js 20.19+ or 22.12+ and the npm registry are the only prerequisites).
/// </summary>
public static class OpenApiLint
{
    public sealed record Problem(string Severity, string Rule, string Pointer, string Message)
    {
        public override string ToString() => $"{Severity} {Rule} at {Pointer}: {Message}";
    }

    private static readonly SemaphoreSlim Install = new(1, 1);

    public static async Task<IReadOnlyList<Problem>> RunAsync(string documentPath)
    {
        var tool = Path.Combine(HostProcess.RepositoryRoot, "tools", "openapi-lint");
        var cli = Path.Combine(tool, "node_modules", ".bin", "redocly");
        await Install.WaitAsync();
        try
        {
            if (!File.Exists(cli) || InstalledVersion(tool) != PinnedVersion(tool))
            {
                var (code, output, errors) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tool);
                code.Should().Be(0, $"npm ci in tools/openapi-lint must succeed (is Node.js 20.19+ or 22.12+ installed?):\n{output}{errors}");
            }
        }
        finally
        {
            Install.Release();
        }

        var (_, json, log) = await RunAsync(cli, ["lint", documentPath, "--format=json"], tool);
        var start = json.IndexOf('{', StringComparison.Ordinal);
        start.Should().BeGreaterThanOrEqualTo(0, $"redocly prints a JSON report:\n{json}{log}");
        using var report = JsonDocument.Parse(json[start..]);
        return [.. report.RootElement.GetProperty("problems").EnumerateArray().Select(p => new Problem(
            p.GetProperty("severity").GetString()!,
            p.GetProperty("ruleId").GetString()!,
            p.GetProperty("location")[0].GetProperty("pointer").GetString()!,
            p.GetProperty("message").GetString()!))];
    }

    private static string? PinnedVersion(string tool) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(tool, "package.json"))).RootElement
            .GetProperty("devDependencies").GetProperty("@redocly/cli").GetString();

    private static string? InstalledVersion(string tool)
    {
        var installed = Path.Combine(tool, "node_modules", "@redocly", "cli", "package.json");
        return File.Exists(installed) ? JsonDocument.Parse(File.ReadAllText(installed)).RootElement.GetProperty("version").GetString() : null;
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string fileName, string[] arguments, string workingDirectory)
    {
        var result = await ExternalCommand.RunAsync(fileName, arguments, workingDirectory, TimeSpan.FromMinutes(3), environment =>
        {
            environment["NO_UPDATE_NOTIFIER"] = "1";
            environment["REDOCLY_TELEMETRY"] = "off";
            environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        });
        return (result.ExitCode, result.Output, result.Errors);
    }
}
