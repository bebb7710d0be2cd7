using RabbitMQ.Client;

namespace Platform.Testing;

/// <summary>
/// The transports a messaging test runs on, and a RabbitMQ namespace of its own for each host under test:
/// exchanges and queues named by a random prefix, so tests running side by side on one broker never see
/// each other's messages, and deleted when the test is done.
/// </summary>
public sealed class TestBroker
{
    public const string InProcess = "InProcess";
    public const string RabbitMQ = "RabbitMQ";

    /// <summary>Both transports, for <c>[MemberData]</c> of a test written once.</summary>
    public static IEnumerable<object[]> Transports => [[InProcess], [RabbitMQ]];

    /// <summary>Where the tests' broker is: the local Debian node.</summary>
    public static Uri Uri { get; } = new("amqp://guest:guest@127.0.0.1:5672/");

    /// <summary>
    /// Once per test run: when nothing answers on 127.0.0.1:5672, <c>scripts/rabbitmq.sh start</c> installs
    /// (apt) and starts the local node, so plain <c>dotnet test</c> needs no set-up. A node started here
    /// is left running; <c>scripts/rabbitmq.sh stop</c> stops it (.ci/run does).
    /// </summary>
    private static readonly Lazy<Task> LocalNode = new(StartLocalNodeAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public TestBroker()
    {
        LocalNode.Value.GetAwaiter().GetResult();
        Prefix = $"test-{Guid.NewGuid():N}"[..17];
    }

    public string Prefix { get; }

    public string Exchange => $"{Prefix}.events";

    public string Unroutable => $"{Prefix}.unroutable";

    public string DeadLetterExchange => $"{Prefix}.dead-letters";

    public string Queue(string module) => $"{Prefix}.{module.ToLowerInvariant()}";

    public string DeadLetterQueue(string module) => $"{Queue(module)}.dead-letters";

    /// <summary>The settings that point a host at this namespace.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Messaging:Transport"] = RabbitMQ,
        ["Messaging:RabbitMQ:Uri"] = Uri.ToString(),
        ["Messaging:RabbitMQ:QueuePrefix"] = Prefix,
        ["Messaging:RabbitMQ:Exchange"] = Exchange,
        ["Messaging:RabbitMQ:AlternateExchange"] = Unroutable,
        ["Messaging:RabbitMQ:DeadLetterExchange"] = DeadLetterExchange,
        ["Messaging:RabbitMQ:ReconnectInterval"] = "00:00:00.500",
    };

    public async Task<IConnection> ConnectAsync() => await new ConnectionFactory { Uri = Uri }.CreateConnectionAsync();

    /// <summary>How many messages wait (ready) in a queue.</summary>
    public async Task<uint> CountAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    private static async Task StartLocalNodeAsync()
    {
        if (await AnswersAsync())
        {
            return;
        }

        // Another test assembly may be in the middle of a broker outage: wait for its end before deciding none runs.
        await (await OutageLockAsync()).DisposeAsync();
        if (await AnswersAsync())
        {
            return;
        }

        var root = HostProcess.RepositoryRoot;
        var started = await ExternalCommand.RunAsync("bash", [Path.Combine(root, "scripts", "rabbitmq.sh"), "start"], root, TimeSpan.FromMinutes(5));
        if (started.ExitCode != 0 || !await AnswersAsync())
        {
            throw new InvalidOperationException(
                $"The broker tests need RabbitMQ on 127.0.0.1:5672, and scripts/rabbitmq.sh start could not provide it (Debian's rabbitmq-server, as root or with sudo): {started.Output} {started.Errors}");
        }
    }

    private static async Task<bool> AnswersAsync()
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", 5672).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception refused) when (refused is System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Every message in a queue, ready or delivered but not yet acknowledged, as the local node's
    /// <c>rabbitmqctl</c> reports it (a passive declare counts only the ready ones).
    /// </summary>
    public static async Task<long> TotalAsync(string queue)
    {
        var result = await CtlAsync("list_queues", "-q", "--no-table-headers", "name", "messages");
        var line = result.Output.Split('\n').Select(l => l.Split('\t')).FirstOrDefault(parts => parts.Length == 2 && parts[0] == queue)
            ?? throw new InvalidOperationException($"rabbitmqctl does not list {queue}: {result.Output} {result.Errors}");
        return long.Parse(line[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <c>rabbitmqctl</c> against the local node. Debian's runs only as root or the rabbitmq user: others go
    /// through <c>sudo -n</c> (README: the broker tests need the local node and root or sudo).
    /// </summary>
    public static async Task<ExternalCommand.Result> CtlAsync(params string[] arguments)
    {
        var ctl = File.Exists("/usr/sbin/rabbitmqctl") ? "/usr/sbin/rabbitmqctl" : "rabbitmqctl";
        var root = System.Environment.UserName == "root";
        var result = await ExternalCommand.RunAsync(root ? ctl : "sudo", root ? arguments : ["-n", ctl, .. arguments], Path.GetTempPath(), TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Errors}");
        }

        return result;
    }

    /// <summary>
    /// Stops the local node's broker (<c>rabbitmqctl stop_app</c>) until the returned outage is disposed
    /// (<c>start_app</c>). Test assemblies run side by side: a lock file held for the whole outage keeps two
    /// outages from overlapping, so each test sees the outage it made.
    /// </summary>
    public static async Task<IAsyncDisposable> OutageAsync()
    {
        var held = await OutageLockAsync();
        try
        {
            // A test process that died mid-outage left the app stopped: start it before stopping it on purpose.
            await CtlAsync("start_app");
            await CtlAsync("stop_app");
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }

        return new Outage(held);
    }

    /// <summary>
    /// The machine-wide lock every broker outage holds (flock, released when the process ends). A reader
    /// that finds no broker waits on it too, so it does not mistake an outage for a missing node.
    /// </summary>
    private static async Task<FileStream> OutageLockAsync()
    {
        var lockFile = Path.Combine(Path.GetTempPath(), "platform-tests-broker-outage.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private sealed class Outage(FileStream held) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await CtlAsync("start_app");
            }
            finally
            {
                await held.DisposeAsync();
            }
        }
    }

    /// <summary>Deletes every queue and exchange of this namespace (best effort: the broker may be down).</summary>
    public async Task DeleteAsync(IEnumerable<string> modules)
    {
        try
        {
            await using var connection = await ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            foreach (var module in modules)
            {
                await channel.QueueDeleteAsync(Queue(module));
                await channel.QueueDeleteAsync(DeadLetterQueue(module));
            }

            await channel.QueueDeleteAsync(Unroutable);
            foreach (var exchange in new[] { Exchange, Unroutable, DeadLetterExchange })
            {
                await channel.ExchangeDeleteAsync(exchange);
            }
        }
#pragma warning disable CA1031 // Cleanup of a test namespace; a broker that is down leaves it for the next start.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>The subscribing modules of the probe host (every module but Catalog and Identity), whose queues a test namespace holds.</summary>
    public static IReadOnlyList<string> SubscribingModules { get; } = ["Inventory", "Notifications", "Ordering", "Payments", "Probe"];
}

/// <summary>A fresh platform whose events travel over RabbitMQ, for class fixtures.</summary>
public sealed class RabbitMqPlatformFactory : PlatformFactory
{
    public RabbitMqPlatformFactory() => WithTransport(TestBroker.RabbitMQ);
}
