using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Platform.Shared.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Platform.Shared.RabbitMQ;

/// <summary>
/// Consumes one queue on a channel of its own, with manual acks and a prefetch limit. A module's queue
/// hands each delivery to the module (<see cref="IBrokerInbound.DeliverAsync"/>); its dead-letter queue
/// stores each one as the module's dead letters. Verdicts are sent by one loop, in the order outcomes
/// arrive:
/// <list type="bullet">
/// <item>ack only once the module has the outcome on disk;</item>
/// <item>requeue, after a pause that grows while failures last, when it could not even record a failure,
/// or when this version of the module has no handler for the type (the queue's delivery limit then
/// dead-letters it);</item>
/// <item>reject to the dead letters what is not an envelope of ours, or claims a source that does not own
/// the event;</item>
/// <item>nothing at all on shutdown or connection loss: the broker delivers it again, and the inbox
/// makes the second delivery a no-op.</item>
/// </list>
/// </summary>
internal sealed partial class QueueConsumer : IAsyncDisposable
{
    private readonly IChannel _channel;
    private readonly string _module;
    private readonly bool _deadLetters;
    private readonly IBrokerInbound _inbound;
    private readonly Action<string> _lost;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<Verdict> _verdicts = Channel.CreateUnbounded<Verdict>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _verdictLoop;
    private int _failures;

    private QueueConsumer(IChannel channel, string module, bool deadLetters, IBrokerInbound inbound, Action<string> lost, TimeProvider clock, ILogger logger)
    {
        _lost = lost;
        _channel = channel;
        _module = module;
        _deadLetters = deadLetters;
        _inbound = inbound;
        _clock = clock;
        _logger = logger;
        _verdictLoop = Task.Run(SendVerdictsAsync);
    }

    public static async Task<QueueConsumer> StartAsync(
        IConnection connection, string queue, string module, bool deadLetters, ushort prefetch, IBrokerInbound inbound, Action<string> lost,
        TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var consumer = new QueueConsumer(channel, module, deadLetters, inbound, lost, clock, logger);
        try
        {
            await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: prefetch, global: false, cancellationToken);
            await consumer.ConsumeAsync(queue, cancellationToken);
            return consumer;
        }
        catch
        {
            await consumer.DisposeAsync();
            throw;
        }
    }

    private async Task ConsumeAsync(string queue, CancellationToken cancellationToken)
    {
        var basic = new AsyncEventingBasicConsumer(_channel);
        basic.ReceivedAsync += OnReceivedAsync;
        // Cancelled by the broker (its queue deleted, say): the connection is set up again from scratch.
        basic.UnregisteredAsync += (_, _) =>
        {
            _lost($"the consumer of {queue} was cancelled");
            return Task.CompletedTask;
        };
        _channel.ChannelShutdownAsync += (_, args) =>
        {
            _lost($"the channel of {queue} closed: {args.ReplyText}");
            return Task.CompletedTask;
        };
        await _channel.BasicConsumeAsync(queue, autoAck: false, basic, cancellationToken);
    }

    /// <summary>No more verdicts: what is undecided stays unacknowledged and returns to the queue when the connection closes.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        _verdicts.Writer.TryComplete();
        await _verdictLoop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _channel.DisposeAsync();
        _stopping.Dispose();
    }

    private Task OnReceivedAsync(object sender, BasicDeliverEventArgs delivery)
    {
        var tag = delivery.DeliveryTag;
        var envelope = EnvelopeMapping.Read(delivery.BasicProperties, delivery.Body, out var problem);
        Task<BrokerVerdict> outcome;
        if (_deadLetters)
        {
            envelope ??= EnvelopeMapping.Unreadable(delivery.BasicProperties, delivery.Body, _clock);
            outcome = StoreDeadLetterAsync(envelope, DeadLetterReason(delivery.BasicProperties, problem));
        }
        else if (envelope is null)
        {
            // Not an envelope of ours: straight to the dead letters, where an administrator sees it.
            LogUnreadable(_module, delivery.BasicProperties.MessageId, problem!);
            _verdicts.Writer.TryWrite(new Verdict(tag, VerdictKind.DeadLetter));
            return Task.CompletedTask;
        }
        else
        {
            outcome = _inbound.DeliverAsync(_module, envelope, _stopping.Token);
        }

        _ = outcome.ContinueWith(
            (done, state) => ((QueueConsumer)state!).Decide(tag, done),
            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    private async Task<BrokerVerdict> StoreDeadLetterAsync(MessageEnvelope envelope, string reason)
    {
        await _inbound.StoreDeadLetterAsync(_module, envelope, reason, _stopping.Token);
        LogDeadLetterStored(_module, envelope.Type, envelope.MessageId, reason);
        return BrokerVerdict.Ack;
    }

    private void Decide(ulong tag, Task<BrokerVerdict> outcome)
    {
        if (outcome.IsCompletedSuccessfully)
        {
            _verdicts.Writer.TryWrite(new Verdict(tag, outcome.Result switch
            {
                BrokerVerdict.Ack => VerdictKind.Ack,
                BrokerVerdict.Reject => VerdictKind.DeadLetter,
                _ => VerdictKind.Retry,
            }));
            return;
        }

        if (outcome.IsCanceled || _stopping.IsCancellationRequested || outcome.Exception?.InnerException is OperationCanceledException)
        {
            return;
        }

        if (outcome.Exception is { } error)
        {
            LogDeliveryFailed(error.InnerException ?? error, _module);
        }

        _verdicts.Writer.TryWrite(new Verdict(tag, VerdictKind.Retry));
    }

    private async Task SendVerdictsAsync()
    {
        try
        {
            await foreach (var verdict in _verdicts.Reader.ReadAllAsync())
            {
                // A half-open connection must not hold a verdict (or a shutdown) until the heartbeat notices.
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                switch (verdict.Kind)
                {
                    case VerdictKind.Ack:
                        _failures = 0;
                        await _channel.BasicAckAsync(verdict.Tag, multiple: false, limit.Token);
                        break;
                    case VerdictKind.Retry:
                        // Requeued at once it would come straight back: wait first, longer while failures last.
                        var pause = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(++_failures, 7))));
                        LogRequeueing(_module, pause.TotalSeconds);
                        _ = Task.Delay(pause, _stopping.Token).ContinueWith(
                            (waited, state) =>
                            {
                                if (!waited.IsCanceled)
                                {
                                    ((QueueConsumer)state!)._verdicts.Writer.TryWrite(new Verdict(verdict.Tag, VerdictKind.Requeue));
                                }
                            },
                            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        break;
                    case VerdictKind.Requeue:
                        // A reject with requeue counts toward the queue's delivery limit on every RabbitMQ version.
                        await _channel.BasicRejectAsync(verdict.Tag, requeue: true, limit.Token);
                        break;
                    case VerdictKind.DeadLetter:
                        await _channel.BasicRejectAsync(verdict.Tag, requeue: false, limit.Token);
                        break;
                }
            }
        }
#pragma warning disable CA1031 // The channel is gone: unacknowledged deliveries return to the queue by themselves.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (!_stopping.IsCancellationRequested)
            {
                // Nothing acknowledges on this channel any more: the connection is set up again from scratch.
                LogVerdictsStopped(exception, _module);
                _lost($"{_module}'s consumer could not send its verdicts: {exception.Message}");
            }
        }
    }

    private static string DeadLetterReason(IReadOnlyBasicProperties properties, string? problem)
    {
        var reason = EnvelopeMapping.Header(properties, "x-first-death-reason") ?? "unknown";
        var queue = EnvelopeMapping.Header(properties, "x-first-death-queue") ?? "?";
        var why = reason switch
        {
            "delivery_limit" => "it reached the queue's delivery limit without being recorded",
            "rejected" => "it was rejected",
            _ => reason,
        };
        return $"Dead-lettered by RabbitMQ from {queue}: {why}" + (problem is null ? "." : $"; it cannot be read: {problem}.");
    }

    private enum VerdictKind
    {
        Ack,
        Retry,
        Requeue,
        DeadLetter,
    }

    private readonly record struct Verdict(ulong Tag, VerdictKind Kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} got a message it cannot read ({MessageId}): {Problem}; it goes to the module's dead letters")]
    private partial void LogUnreadable(string module, string? messageId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} stored broker dead letter {Type} {MessageId}: {Reason}")]
    private partial void LogDeadLetterStored(string module, string type, Guid messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} could not record a broker delivery, or has no handler for it; it goes back to the queue in {Seconds:0.#} s (counted toward the delivery limit)")]
    private partial void LogRequeueing(string module, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Module} could not take a broker delivery; it is requeued after a pause")]
    private partial void LogDeliveryFailed(Exception exception, string module);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Module} stopped acknowledging on a closed channel; unacknowledged deliveries return to the queue")]
    private partial void LogVerdictsStopped(Exception exception, string module);
}
