using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Platform.Testing;

/// <summary>
/// A built host running as a real child process on loopback, on a data folder of the test's choosing:
/// it can be killed with SIGKILL mid-work, stopped gracefully with SIGTERM, and started again on the
/// same folder. Every process started here is killed when the test disposes it, and, should a test
/// runner die first, when the test process exits.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly StringBuilder _output = new();
    private readonly object _outputGate = new();
    private Process? _process;

    static HostProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private HostProcess(string assemblyPath, string dataDirectory, IReadOnlyDictionary<string, string> settings, int port)
    {
        AssemblyPath = assemblyPath;
        DataDirectory = dataDirectory;
        Settings = settings;
        Port = port;
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string AssemblyPath { get; }

    public string DataDirectory { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public HttpClient Client { get; }

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>CPU time the running process has used so far (user and system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException("The process is not running.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>What the process wrote to stdout and stderr, for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built host that also carries the test-only Probe module.</summary>
    public static string ProbeHost => BuiltAssembly("tests/Platform.ProbeHost", "Platform.ProbeHost.dll");

    /// <summary>The product's own host, exactly as shipped.</summary>
    public static string PlatformHost => BuiltAssembly("src/Host", "Platform.Host.dll");

    public static async Task<HostProcess> StartAsync(string assemblyPath, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var host = new HostProcess(assemblyPath, dataDirectory, settings ?? new Dictionary<string, string>(), port ?? FreePort());
        await host.StartAsync();
        return host;
    }

    /// <summary>Starts the process (again) and waits until it answers /health/live.</summary>
    public async Task StartAsync()
    {
        if (!HasExited)
        {
            throw new InvalidOperationException("The process is still running.");
        }

        // A .dll runs under dotnet; anything else is an executable of its own (a single-file publish).
        var executable = !AssemblyPath.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(executable ? AssemblyPath : "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!executable)
        {
            start.ArgumentList.Add(AssemblyPath);
        }

        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Database__DataDirectory"] = DataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["RateLimiting__Credentials__PermitLimit"] = "100000";
        foreach (var (key, value) in Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Running[process.Id] = process;
        await WaitUntilLiveAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL: no shutdown code runs, as after a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM, as a deployment stops a process: graceful shutdown runs.</summary>
    public async Task StopAsync(TimeSpan? within = null)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"The host did not stop within {within ?? TimeSpan.FromSeconds(30)}.{Environment.NewLine}{Output}");
        }
    }

    /// <summary>Waits until the process exits by itself (it crashed on purpose, say).</summary>
    public async Task WaitForExitAsync(TimeSpan within)
    {
        if (_process is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_process is not null)
        {
            Running.TryRemove(_process.Id, out _);
            _process.Dispose();
        }

        Client.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilLiveAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"The host exited during start-up.{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("/health/live", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The host did not answer /health/live within {within}.{Environment.NewLine}{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static string BuiltAssembly(string projectFolder, string fileName)
    {
        var configuration = typeof(HostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(RepositoryRoot, projectFolder, "bin", configuration, "net10.0", fileName);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {projectFolder} first ({configuration}); {path} is missing.", path);
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the test folder.");
        }
    }

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
