using System.Diagnostics;
using System.Globalization;

namespace Platform.Benchmarks.Api;

/// <summary>A process under measurement that answers HTTP on loopback: the published host, or the read floor.</summary>
internal sealed class HostRun : IAsyncDisposable
{
    private readonly Process process;

    private HostRun(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The published host, Development settings and any <paramref name="settings"/>, on a given data folder; answers once /health/live does.</summary>
    public static Task<HostRun> StartAsync(string directory, string data, int port, IReadOnlyDictionary<string, string>? settings = null)
    {
        var baseUrl = $"http://127.0.0.1:{port}";
        var start = Dotnet(directory, "Platform.Host.dll", "--urls", baseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__DataDirectory"] = data;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return StartAsync(start, baseUrl, "/health/live");
    }

    /// <summary>The read floor from ../shared/peers/read-floor, reading the host's own catalog.db.</summary>
    public static Task<HostRun> StartFloorAsync(string directory, string catalogDb, int port, Guid productId)
    {
        var baseUrl = $"http://127.0.0.1:{port}";
        return StartAsync(Dotnet(directory, "Bare.dll", $"--CatalogDb={catalogDb}", $"--urls={baseUrl}"), baseUrl, $"/ef/products/{productId}");
    }

    public HttpClient Client() => new() { BaseAddress = new Uri(BaseUrl) };

    /// <summary>Readiness: migrations checked and the administrator seeded, which runs beside the server's start.</summary>
    public Task WaitReadyAsync() => Health.PollAsync(process, $"{BaseUrl}/health/ready");

    public double WorkingSetMb()
    {
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    public ValueTask DisposeAsync() => Health.StopAsync(process);

    private static async Task<HostRun> StartAsync(ProcessStartInfo start, string baseUrl, string answers)
    {
        var run = new HostRun(Process.Start(start)!, baseUrl);
        try
        {
            await Health.WaitAsync(run.process, baseUrl + answers);
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }

        return run;
    }

    private static ProcessStartInfo Dotnet(string directory, string dll, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(directory, dll));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}

internal static class Health
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(2) };

    public static Task WaitAsync(Process process, string url)
    {
        // Output is drained so a chatty process never blocks on a full pipe; BENCH_HOST_LOG=<file> keeps it for a look.
        var log = Environment.GetEnvironmentVariable("BENCH_HOST_LOG") is { Length: > 0 } path ? TextWriter.Synchronized(File.AppendText(path)) : null;
        process.OutputDataReceived += (_, line) => log?.WriteLine(line.Data);
        process.ErrorDataReceived += (_, line) => log?.WriteLine(line.Data);
        process.Exited += (_, _) => log?.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return PollAsync(process, url);
    }

    public static async Task PollAsync(Process process, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{url}: the process exited with code {process.ExitCode}");
            }

            try
            {
                using var response = await Probe.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{url} did not answer within 30 s");
    }

    public static async ValueTask StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}

/// <summary>wrk, the load generator the figures come from: one thread, 32 connections.</summary>
internal static class Wrk
{
    public static async Task<double> RequestsPerSecondAsync(string url, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t1", "-c32", $"-d{seconds}s", url })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("wrk is needed for the load runs: apt-get install wrk");
        }

        using (process)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk printed no rate:\n{output}");
            if (output.Contains("Non-2xx", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{url} answered errors under load:\n{output}");
            }

            return double.Parse(line["Requests/sec:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
    }
}
