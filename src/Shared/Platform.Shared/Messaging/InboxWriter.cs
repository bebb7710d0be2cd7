using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// Receives a message into a subscribing module: one inbox row per handler, in the module's own
/// database. Receiving the same message again adds nothing. Every transport ends here.
/// </summary>
internal sealed class InboxWriter(
    IServiceScopeFactory scopes,
    ModuleRegistry modules,
    IntegrationEventCatalog catalog,
    ModuleSignals signals,
    TimeProvider clock)
{
    /// <summary>Stores the message for each of the module's handlers of its type; returns how many rows were new.</summary>
    public async Task<int> ReceiveAsync(string module, MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        var handlers = catalog.SubscriptionsOf(module).Where(s => s.EventName == envelope.Type).Select(s => s.Handler).ToList();
        if (handlers.Count == 0 || modules.Find(module)?.Database is not { } database)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = (DbContext)scope.ServiceProvider.GetRequiredService(database.ContextType);
        var known = await db.Set<InboxMessage>()
            .Where(m => m.MessageId == envelope.MessageId)
            .Select(m => m.Handler)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var fresh = handlers.Except(known, StringComparer.Ordinal).ToList();
        foreach (var handler in fresh)
        {
            db.Set<InboxMessage>().Add(new InboxMessage
            {
                MessageId = envelope.MessageId,
                Handler = handler,
                Type = envelope.Type,
                Payload = envelope.Payload,
                SourceModule = envelope.SourceModule,
                OccurredAt = envelope.OccurredAt,
                TraceParent = envelope.TraceParent,
                TraceState = envelope.TraceState,
                ReceivedAt = now,
                DueAt = now.ToUnixTimeMilliseconds(),
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueConstraint.IsViolation(exception))
        {
            // The same message arrived twice at once; the other delivery stored it.
            return 0;
        }

        if (fresh.Count > 0)
        {
            signals.Inbox(module).Set();
        }

        return fresh.Count;
    }
}

/// <summary>Carries a published message from the publisher's outbox to every subscribing module.</summary>
public interface IMessageTransport
{
    Task SendAsync(MessageEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>The default transport: subscribers run in this process, so delivery is a write into their inboxes.</summary>
internal sealed class InProcessTransport(IntegrationEventCatalog catalog, InboxWriter inbox) : IMessageTransport
{
    public async Task SendAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        foreach (var module in catalog.SubscribersOf(envelope.Type).Select(s => s.Module).Distinct(StringComparer.Ordinal))
        {
            await inbox.ReceiveAsync(module, envelope, cancellationToken);
        }
    }
}
