using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Modules.Ordering.Contracts;
using Platform.Modules.Ordering.Domain;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;

namespace Platform.Modules.Ordering.Features.Saga;

/// <summary>
/// Ordering owns the saga's clock: an order still open <see cref="OrderingOptions.OutcomeTimeout"/> after
/// placement (its payment sits as a dead letter, say) is cancelled as TimedOut, and OrderCancelled makes
/// Inventory release its stock. Each order times out in a transaction of its own; on several instances
/// the order's concurrency token lets exactly one of them do it.
/// </summary>
internal sealed partial class TimeOutOverdueOrders(
    IServiceScopeFactory scopes, IOptions<OrderingOptions> options, TimeProvider clock, ILogger<TimeOutOverdueOrders> logger) : BackgroundService
{
    private const int BatchSize = 100;

    internal sealed record Command(Guid OrderId) : ICommand<bool>;

    internal sealed class Handler(OrderingDbContext db, IEventPublisher events, TimeProvider clock) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command request, CancellationToken cancellationToken)
        {
            var order = await db.LoadAsync(request.OrderId, cancellationToken);
            return order.FailAndPublish(OrderCancellationReasons.TimedOut, events, clock.GetUtcNow());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.TimeoutSweepInterval, clock, stoppingToken);
                await SweepAsync(settings.OutcomeTimeout, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The sweep runs for the life of the host: a failed round is logged and the next one tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogSweepFailed(exception);
            }
        }
    }

    /// <summary>Cancels every order that is overdue now; returns how many it cancelled.</summary>
    internal async Task<int> SweepAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cancelled = 0;
        while (true)
        {
            var overdue = await OverdueAsync(clock.GetUtcNow() - timeout, cancellationToken);
            foreach (var orderId in overdue)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    if (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Command(orderId), cancellationToken))
                    {
                        cancelled++;
                        LogTimedOut(orderId, timeout);
                    }
                }
                catch (DbUpdateConcurrencyException)
                {
                    // The saga (or another instance) moved the order meanwhile; the next round looks again.
                }
            }

            if (overdue.Count < BatchSize)
            {
                return cancelled;
            }
        }
    }

    private async Task<List<Guid>> OverdueAsync(DateTimeOffset placedBefore, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();
        return await db.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.Pending || o.Status == OrderStatus.StockReserved) && o.PlacedAt < placedBefore)
            .OrderBy(o => o.PlacedAt)
            .Select(o => o.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} had no outcome within {Timeout} and was cancelled as TimedOut")]
    private partial void LogTimedOut(Guid orderId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for overdue orders failed; the next round tries again")]
    private partial void LogSweepFailed(Exception exception);
}
