using Microsoft.Extensions.Logging;
using Platform.Shared.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Platform.Shared.RabbitMQ;

/// <summary>
/// The RabbitMQ transport. It keeps two connections, one to publish and one to consume (the broker's flow
/// control throttles publishers; acks must never wait behind it). It declares the topology, consumes the
/// hosted modules' queues and their dead-letter queues, and, when anything closes, starts again from
/// scratch after <see cref="RabbitMqOptions.ReconnectInterval"/>. The client's own recovery is off: one
/// path for the first connection and every later one.
/// </summary>
internal sealed partial class RabbitMqBroker(
    RabbitMqOptions options,
    RabbitMqTopology topology,
    TimeProvider clock,
    ILoggerFactory loggers) : IMessageBroker
{
    private readonly ILogger _logger = loggers.CreateLogger<RabbitMqBroker>();
    private readonly SemaphoreSlim _publishing = new(1, 1);
    private volatile IChannel? _publisher;
    private volatile IConnection? _connection;
    private volatile bool _blocked;
    private string? _lastLogged;
    private DateTimeOffset _lastLoggedAt;
    private uint _unroutableSeen;

    /// <summary>Publishing can be tried: connected, and not blocked by the broker's flow control (a disk or memory alarm).</summary>
    public bool IsConnected => _publisher is { IsOpen: true } && !_blocked;

    /// <summary>Where the broker is, without credentials, for logs and health.</summary>
    public string Endpoint => $"{options.Uri.Host}:{(options.Uri.IsDefaultPort || options.Uri.Port < 0 ? (options.Uri.Scheme == "amqps" ? 5671 : 5672) : options.Uri.Port)}";

    /// <summary>Events waiting in the unroutable queue at the last count (every 5 s while connected); null before the first.</summary>
    public uint? Unroutable { get; private set; }

    /// <summary>Why the last attempt to connect or set up failed, while it is not connected; for readiness.</summary>
    public string? Problem { get; private set; }

    public async Task<IReadOnlyList<PublishOutcome>> PublishAsync(IReadOnlyList<BrokerMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await _publishing.WaitAsync(cancellationToken);
        try
        {
            var outcomes = new PublishOutcome[messages.Count];
            if (_publisher is not { IsOpen: true } channel)
            {
                Array.Fill(outcomes, new PublishOutcome(PublishStatus.NotSent));
                return outcomes;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.PublishTimeout);
            // Published together, confirmed together: the confirms of a batch arrive in one round trip.
            var confirms = new List<Task>(messages.Count);
            foreach (var message in messages)
            {
                var (exchange, routingKey) = message.Destination is { } module ? (string.Empty, topology.Names.Queue(module)) : (options.Exchange, message.Envelope.Type);
                try
                {
                    confirms.Add(channel.BasicPublishAsync(
                        exchange, routingKey, mandatory: true, EnvelopeMapping.PropertiesOf(message.Envelope), EnvelopeMapping.BodyOf(message.Envelope), timeout.Token).AsTask());
                }
#pragma warning disable CA1031 // Recorded as that message's outcome.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    confirms.Add(Task.FromException(exception));
                }
            }

            for (var i = 0; i < confirms.Count; i++)
            {
                outcomes[i] = await OutcomeOfAsync(confirms[i], cancellationToken);
            }

            return outcomes;
        }
        finally
        {
            _publishing.Release();
        }
    }

    public async Task RunAsync(BrokerTopology subscribers, IBrokerInbound inbound, Action connected, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(subscribers);
        ArgumentNullException.ThrowIfNull(connected);
        var down = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var lost = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            IConnection? publishing = null;
            IConnection? consuming = null;
            var consumers = new List<QueueConsumer>();
            try
            {
                publishing = await ConnectAsync("publish", lost, connected, stoppingToken);
                consuming = await ConnectAsync("consume", lost, null, stoppingToken);
                await using (var setup = await publishing.CreateChannelAsync(cancellationToken: stoppingToken))
                {
                    await topology.DeclareAsync(setup, subscribers, stoppingToken);
                }

                foreach (var module in subscribers.Subscribers.Where(s => s.Hosted).Select(s => s.Module))
                {
                    consumers.Add(await StartConsumerAsync(consuming, topology.Names.Queue(module), module, deadLetters: false, inbound, lost, stoppingToken));
                    consumers.Add(await StartConsumerAsync(consuming, topology.Names.DeadLetterQueue(module), module, deadLetters: true, inbound, lost, stoppingToken));
                }

                var publisher = await publishing.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), stoppingToken);
                publisher.ChannelShutdownAsync += (_, args) =>
                {
                    lost.TrySetResult($"the publishing channel closed: {args.ReplyText}");
                    return Task.CompletedTask;
                };
                _connection = publishing;
                _publisher = publisher;
                Problem = null;
                _lastLogged = null;
                LogConnected(Endpoint, down ? "again" : "first");
                down = false;
                connected();
                var reason = await WatchAsync(lost.Task, stoppingToken);
                down = true;
                Problem = reason;
                LogLost(Endpoint, reason);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // The broker is down or refused: try again after a pause, the outboxes hold the events meanwhile.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                // Each new reason is logged (a refused password after a rotation, a topology the broker refuses),
                // the same one again at most once a minute.
                down = true;
                Problem = exception.Message;
                var now = clock.GetUtcNow();
                if (exception.Message != _lastLogged || now - _lastLoggedAt >= TimeSpan.FromMinutes(1))
                {
                    _lastLogged = exception.Message;
                    _lastLoggedAt = now;
                    LogUnreachable(exception, Endpoint, options.ReconnectInterval.TotalSeconds);
                }
            }
            finally
            {
                await DisconnectAsync(consumers, publishing, consuming);
            }

            try
            {
                await Task.Delay(options.ReconnectInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>How many messages wait in a queue; null when the broker cannot be asked now.</summary>
    public async Task<uint?> CountAsync(string queue, CancellationToken cancellationToken)
    {
        if (_connection is not { IsOpen: true } connection)
        {
            return null;
        }

        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (Exception exception) when (exception is OperationInterruptedException or AlreadyClosedException or IOException)
        {
            return null;
        }
    }

    /// <summary>While connected: reports events the exchange could route to no queue, as their count grows.</summary>
    private async Task<string> WatchAsync(Task<string> lost, CancellationToken stoppingToken)
    {
        while (true)
        {
            if (await CountAsync(topology.Names.Unroutable, stoppingToken) is { } count)
            {
                if (count > _unroutableSeen)
                {
                    LogUnroutable(count, topology.Names.Unroutable);
                }

                _unroutableSeen = count;
                Unroutable = count;
            }

            var tick = Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            if (await Task.WhenAny(lost, tick) == lost)
            {
                return await lost;
            }

            await tick;
        }
    }

    private async Task<IConnection> ConnectAsync(string purpose, TaskCompletionSource<string> lost, Action? connected, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = options.Uri,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            ClientProvidedName = $"platform {Environment.ProcessId} {purpose}",
        };
        var connection = await factory.CreateConnectionAsync(cancellationToken);
        if (purpose == "publish")
        {
            // A blocked connection is not a lost one, but nothing it publishes is confirmed until the alarm
            // clears: the outlet takes nothing meanwhile, and the events wait in the outbox unattempted.
            _blocked = false;
            connection.ConnectionBlockedAsync += (_, args) =>
            {
                _blocked = true;
                LogBlocked(Endpoint, args.Reason);
                return Task.CompletedTask;
            };
            connection.ConnectionUnblockedAsync += (_, _) =>
            {
                _blocked = false;
                connected?.Invoke();
                return Task.CompletedTask;
            };
        }

        connection.ConnectionShutdownAsync += (_, args) =>
        {
            lost.TrySetResult($"the {purpose} connection closed: {args.ReplyText}");
            return Task.CompletedTask;
        };
        return connection;
    }

    private Task<QueueConsumer> StartConsumerAsync(
        IConnection connection, string queue, string module, bool deadLetters, IBrokerInbound inbound, TaskCompletionSource<string> lost, CancellationToken cancellationToken) =>
        QueueConsumer.StartAsync(
            connection, queue, module, deadLetters, options.Prefetch, inbound, reason => lost.TrySetResult(reason), clock, loggers.CreateLogger<QueueConsumer>(), cancellationToken);

    /// <summary>
    /// Stops the consumers' verdicts, waits for a publish in flight to end, then closes both connections,
    /// each within two seconds (a half-open one is aborted), which closes their channels: a shutdown never
    /// waits on a broker that stopped answering.
    /// </summary>
    private async Task DisconnectAsync(List<QueueConsumer> consumers, IConnection? publishing, IConnection? consuming)
    {
        var publisher = _publisher;
        _publisher = null;
        _connection = null;
        foreach (var consumer in consumers)
        {
            await consumer.StopAsync();
        }

        await _publishing.WaitAsync();
        _publishing.Release();
        foreach (var connection in new[] { consuming, publishing })
        {
            await CloseQuietlyAsync(connection);
        }

        foreach (var disposable in consumers.Cast<IAsyncDisposable>().Append(publisher).Append(consuming).Append(publishing))
        {
            try
            {
                if (disposable is not null)
                {
                    await disposable.DisposeAsync();
                }
            }
#pragma warning disable CA1031 // Already gone.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private static async Task CloseQuietlyAsync(IConnection? connection)
    {
        if (connection is not { IsOpen: true })
        {
            return;
        }

        try
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(2)).WaitAsync(TimeSpan.FromSeconds(3));
        }
#pragma warning disable CA1031 // Closing what is already going: abort what remains.
        catch (Exception)
#pragma warning restore CA1031
        {
            try
            {
                await connection.AbortAsync(TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(2));
            }
#pragma warning disable CA1031
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>
    /// A confirm is the broker's. A nack, a return, or the channel closing over the message counts as a failed
    /// attempt (a message the broker closes the channel over must end as a dead letter, not loop for ever);
    /// no confirm in time (a slow or blocked broker) is not the message's fault: it is sent again, unattempted.
    /// </summary>
    private static async Task<PublishOutcome> OutcomeOfAsync(Task confirm, CancellationToken cancellationToken)
    {
        try
        {
            await confirm;
            return new PublishOutcome(PublishStatus.Confirmed);
        }
        catch (PublishException refused)
        {
            return new PublishOutcome(PublishStatus.Failed, new InvalidOperationException(
                refused.IsReturn ? "RabbitMQ returned the message: no queue took it." : "RabbitMQ refused the message (nack).", refused));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException late)
        {
            return new PublishOutcome(PublishStatus.NotSent, late);
        }
#pragma warning disable CA1031 // The channel or connection closed while the message was out: a failed attempt, retried with backoff.
        catch (Exception lost)
#pragma warning restore CA1031
        {
            return new PublishOutcome(PublishStatus.Failed, new InvalidOperationException("RabbitMQ did not confirm the message: " + lost.Message, lost));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Endpoint} ({Time} time)")]
    private partial void LogConnected(string endpoint, string time);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost RabbitMQ at {Endpoint}: {Reason}. Events wait in the outboxes; reconnecting")]
    private partial void LogLost(string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ at {Endpoint} could not be reached or set up (see the error); trying again every {Seconds:0.#} s. Events wait in the outboxes")]
    private partial void LogUnreachable(Exception exception, string endpoint, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ at {Endpoint} blocked publishing ({Reason}): events wait in the outboxes until it unblocks")]
    private partial void LogBlocked(string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events reached no queue; they are kept in {Queue}: a subscriber's queue or binding is missing")]
    private partial void LogUnroutable(uint count, string queue);
}
