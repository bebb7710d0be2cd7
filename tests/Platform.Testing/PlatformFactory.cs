using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Platform.Testing;

/// <summary>
/// The real host, on real SQLite files in a temporary folder of its own, with optional settings.
/// Each factory is a fresh platform: a new data folder, migrated at start like a developer's first run.
/// </summary>
public class PlatformFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);

    public const string AdminEmail = "admin@platform.local";
    public const string AdminPassword = "Dev-Admin-Password-1";
    public const string CustomerPassword = "Tulip-Gravel-Orbit-42";

    private readonly bool _ownsDataDirectory;
    private bool _ownsBroker;
    private IReadOnlyList<string>? _subscribers;
    private readonly List<Action<IServiceCollection>> _serviceOverrides = [];

    public PlatformFactory()
        : this(Path.Combine(Path.GetTempPath(), "platform-tests", Guid.NewGuid().ToString("N")), ownsDataDirectory: true)
    {
    }

    private PlatformFactory(string dataDirectory, bool ownsDataDirectory)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        // Every setting a test relies on is pinned here, so nothing in the shell's environment
        // (Identity__Admin__Email, say) changes what a test sees.
        // Many tests sign in from one address; the limiter has a test of its own.
        _settings["RateLimiting:Credentials:PermitLimit"] = "100000";
        _settings["Identity:Admin:Email"] = AdminEmail;
        _settings["Identity:Admin:Password"] = AdminPassword;
        _settings["Identity:Admin:DisplayName"] = "Administrator";
        _settings["AllowedHosts"] = "localhost";
        _settings["Database:Provider"] = "Sqlite";
        _settings["Messaging:Transport"] = "InProcess";
        _settings["Messaging:DispatcherEnabled"] = "true";
        // In-process tests deliver from the first moment; the real processes of HostProcess keep the default.
        _settings["Messaging:StartDelay"] = "00:00:00";
    }

    public string DataDirectory { get; }

    public string Environment { get; init; } = "Development";

    /// <summary>When set, the platform's clock: tests move time forward instead of waiting.</summary>
    public FakeTimeProvider? Clock { get; init; }

    /// <summary>Every log line the host wrote, for tests that check what must never be logged.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Sets a configuration value for this host, overriding appsettings.</summary>
    public PlatformFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>A very strong administrator password: with a signing key ring, what a production start needs.</summary>
    public const string ProductionAdminPassword = "Quiet-Harbor-Violin-Maple-2049";

    /// <summary>A host in the Production environment with real secrets: a key ring of its own (override any with <see cref="With"/>).</summary>
    public static PlatformFactory Production()
    {
        var factory = new PlatformFactory { Environment = "Production" };
        return factory
            .With("Jwt:KeyRingFile", TestKeyRings.Good(factory.DataDirectory))
            .With("Identity:Admin:Email", "root@example.com")
            .With("Identity:Admin:Password", ProductionAdminPassword);
    }

    /// <summary>The broker namespace of a host on <see cref="TestBroker.RabbitMQ"/>; null in process.</summary>
    public TestBroker? Broker { get; private set; }

    /// <summary>A fresh platform on the given transport (<see cref="TestBroker.Transports"/>).</summary>
    public static PlatformFactory Over(string transport) => new PlatformFactory().WithTransport(transport);

    /// <summary>Carries events over <paramref name="transport"/>; over RabbitMQ, in a namespace of its own, deleted with the host.</summary>
    public PlatformFactory WithTransport(string transport)
    {
        if (transport == TestBroker.RabbitMQ)
        {
            if (Broker is null)
            {
                Broker = new TestBroker();
                _ownsBroker = true;
            }

            foreach (var (key, value) in Broker.Settings)
            {
                _settings[key] = value;
            }
        }
        else
        {
            _settings["Messaging:Transport"] = transport;
        }

        return this;
    }

    /// <summary>Carries events over a broker namespace that outlives this host (a restart of "the same" platform); the test deletes it.</summary>
    public PlatformFactory WithBroker(TestBroker broker)
    {
        Broker = broker;
        return WithTransport(TestBroker.RabbitMQ);
    }

    /// <summary>A host on an existing data folder, to restart "the same" platform; the folder is left in place.</summary>
    public static PlatformFactory On(string dataDirectory) => new(dataDirectory, ownsDataDirectory: false);

    /// <summary>Replaces services after the platform registered its own (a failing sender, say).</summary>
    public PlatformFactory WithServices(Action<IServiceCollection> configure)
    {
        _serviceOverrides.Add(configure);
        return this;
    }

    /// <summary>Runs <paramref name="work"/> on a service of the host (a module's DbContext, say) in a DI scope of its own.</summary>
    public async Task<T> InScopeAsync<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task InScopeAsync<TService>(Func<TService, Task> work)
        where TService : notnull =>
        InScopeAsync<TService, int>(async service =>
        {
            await work(service);
            return 0;
        });

    /// <summary>A client signed in as the seeded administrator.</summary>
    public Task<HttpClient> CreateAdminClientAsync() => CreateSignedInClientAsync(AdminEmail, AdminPassword);

    /// <summary>A client signed in as a newly registered customer.</summary>
    public async Task<HttpClient> CreateCustomerClientAsync(string? email = null)
    {
        email ??= $"customer-{Guid.NewGuid():N}@example.com";
        var register = await CreateClient().PostAsJsonAsync("/api/identity/register",
            new { email, password = CustomerPassword, displayName = "Customer" });
        register.EnsureSuccessStatusCode();
        return await CreateSignedInClientAsync(email, CustomerPassword);
    }

    public async Task<HttpClient> CreateSignedInClientAsync(string email, string password)
    {
        var client = CreateClient();
        var login = await client.PostAsJsonAsync("/api/identity/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var tokens = await login.Content.ReadFromJsonAsync<TokenPair>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens!.AccessToken);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        if (Environment == "Development" && !_settings.ContainsKey("Database:MigrateOnStartup"))
        {
            builder.UseSetting("Database:MigrateOnStartup", "true");
        }

        builder.UseSetting("Database:DataDirectory", DataDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            if (Clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            }

            _serviceOverrides.ForEach(configure => configure(services));
        });
    }

    /// <summary>
    /// Start-up work that runs beside the server (the admin seeder) is waited for, as a client that a load
    /// balancer sends only to ready hosts would: tests sign in as the admin straight away.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        // The queues the host declared, one per subscribing module, are deleted with it.
        _subscribers = host.Services.GetService<Platform.Shared.Messaging.IntegrationEventCatalog>()?.AllSubscriptions.Select(s => s.Module).Distinct().ToList();
        try
        {
            var seeder = host.Services.GetService<Platform.Modules.Identity.Features.Users.AdminAccountSeeder>();
            if (seeder is not null && !seeder.Completion.Wait(TimeSpan.FromSeconds(15)))
            {
                throw new TimeoutException("The administrator seeder did not finish within 15 s of the host's start.");
            }
        }
        catch (ObjectDisposedException)
        {
            // The host stopped itself during start-up (a test of exactly that); the test looks at why.
        }

        return host;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsBroker && Broker is not null)
        {
            Broker.DeleteAsync(_subscribers ?? TestBroker.SubscribingModules).GetAwaiter().GetResult();
        }

        if (disposing && _ownsDataDirectory)
        {
            // Pooled connections keep the files open; release them before deleting the folder.
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}

public sealed record TokenPair(string AccessToken, int ExpiresIn, string RefreshToken, string TokenType);
