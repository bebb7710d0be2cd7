namespace Platform.Testing;

/// <summary>
/// Debian's Chromium for browser tests (Playwright's own download cannot reach the internet here). When it is
/// missing, <c>scripts/chromium.sh</c> installs it once per test run, so plain <c>dotnet test</c> needs no set-up.
/// </summary>
public static class Chromium
{
    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string ExecutablePath => Installed.Value;

    private static string Install()
    {
        const string path = "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            var result = ExternalCommand.RunAsync("bash", [Path.Combine(HostProcess.RepositoryRoot, "scripts", "chromium.sh")], HostProcess.RepositoryRoot, TimeSpan.FromMinutes(10))
                .GetAwaiter().GetResult();
            if (result.ExitCode != 0 || !File.Exists(path))
            {
                throw new InvalidOperationException($"scripts/chromium.sh could not install Debian's chromium ({result.ExitCode}): {result.Output}{result.Errors}");
            }
        }

        return path;
    }
}
