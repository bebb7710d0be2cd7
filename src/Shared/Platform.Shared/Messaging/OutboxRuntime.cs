using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;
using Platform.Shared.Persistence;

namespace Platform.Shared.Messaging;

/// <summary>
/// The in-process side of messaging: one <see cref="OutboxRelay"/> per hosted module with a database
/// (it delivers that module's outbox) and one <see cref="ModuleConsumer"/> per hosted subscribing
/// module (its own queue, so a slow or failing module holds up nobody else). It also follows each
/// unit of work that publishes, so committed events are handed over in memory at once.
/// </summary>
internal sealed class OutboxRuntime
{
    private readonly ConditionalWeakTable<DbContext, PendingOutbox> _pending = [];
    private readonly FrozenDictionary<string, ModuleConsumer> _consumers;
    private readonly FrozenDictionary<string, OutboxRelay> _relays;
    private readonly MessagingTelemetry _telemetry;

    public OutboxRuntime(
        ModuleRegistry modules,
        IntegrationEventCatalog catalog,
        MessagingOptions options,
        MessagingTelemetry telemetry,
        IServiceScopeFactory scopes,
        InboxProcessor inbox,
        IModuleDurability durability,
        TimeProvider clock,
        SqliteWriteGate writers,
        ILoggerFactory loggers,
        IEnumerable<IMessageBroker> brokers)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _telemetry = telemetry;
        if (options.Transport == MessageTransportKind.RabbitMQ)
        {
            Broker = brokers.FirstOrDefault() ?? throw new InvalidOperationException(
                "Messaging:Transport is RabbitMQ, but this host was composed without the broker transport: call builder.AddRabbitMqTransport() after AddPlatform().");
            Outlet = new BrokerOutlet(Broker, catalog, options, loggers.CreateLogger<BrokerOutlet>()) { RelayOf = RelayOf };
        }

        var withDatabase = options.DispatcherEnabled ? modules.Enabled.Where(m => m.Database is not null).ToList() : [];
        _consumers = withDatabase
            .Where(m => catalog.SubscriptionsOf(m.Name).Count > 0)
            .ToFrozenDictionary(
                m => m.Name,
                m => new ModuleConsumer(
                    m.Name, m.Database!.ContextType, catalog.SubscriptionsOf(m.Name).Select(s => s.EventName).Distinct().ToList(),
                    this, inbox, scopes, options, telemetry, clock, writers, loggers.CreateLogger<ModuleConsumer>()),
                StringComparer.OrdinalIgnoreCase);
        _relays = withDatabase.ToFrozenDictionary(
            m => m.Name,
            m => new OutboxRelay(
                m.Name, m.Database!.ContextType, DestinationsOf(m.Name, catalog), catalog, this, durability, scopes, options, telemetry, clock, writers, loggers.CreateLogger<OutboxRelay>()),
            StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<ModuleConsumer> Consumers => _consumers.Values;

    /// <summary>The broker that carries events between modules, when <c>Messaging:Transport</c> names one.</summary>
    public IMessageBroker? Broker { get; }

    /// <summary>Where relays hand rows bound for the broker.</summary>
    public BrokerOutlet? Outlet { get; }

    public IEnumerable<OutboxRelay> Relays => _relays.Values;

    public ModuleConsumer? ConsumerOf(string module) => _consumers.GetValueOrDefault(module);

    /// <summary>
    /// Where a row for <paramref name="destination"/> goes: a module hosted here takes it in memory; with a
    /// broker, every other row (every subscriber's, or a module's hosted elsewhere) goes to the broker.
    /// Null when it must wait for a process that hosts its subscriber.
    /// </summary>
    public IDeliveryTarget? TargetOf(string destination) =>
        destination != OutboxMessage.AllSubscribers && ConsumerOf(destination) is { } consumer ? consumer : Outlet;

    /// <summary>The destinations a module's relay delivers: with a broker, the broker's (every subscriber) and rows written before it was chosen.</summary>
    private IReadOnlyList<string> DestinationsOf(string publisher, IntegrationEventCatalog catalog) =>
        Outlet is null ? DestinationsPublishedBy(publisher, catalog) : [OutboxMessage.AllSubscribers, .. DestinationsPublishedBy(publisher, catalog)];

    public OutboxRelay? RelayOf(string module) => _relays.GetValueOrDefault(module);

    /// <summary>A consumer made room in its queue: relays may have rows waiting for it.</summary>
    public void RoomAvailable()
    {
        foreach (var relay in _relays.Values)
        {
            relay.Wake();
        }
    }

    /// <summary>Every module that subscribes to an event <paramref name="publisher"/> owns, hosted here or not.</summary>
    internal static IReadOnlyList<string> DestinationsPublishedBy(string publisher, IntegrationEventCatalog catalog) =>
        catalog.AllSubscriptions
            .Where(s => string.Equals(ModuleNaming.OwnerOfContract(s.EventType), publisher, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.Module)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    // ---- following a unit of work (called by OutboxPublisher and OutboxCommitInterceptor) ----

    public void NotePublished(DbContext db, string type) => Pending(db).Published.Add(type);

    public void Saving(string module, DbContext db)
    {
        List<OutboxMessage>? saving = null;
        foreach (var entry in db.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.State == EntityState.Added)
            {
                (saving ??= []).Add(entry.Entity);
            }
        }

        if (saving is null)
        {
            return;
        }

        var relay = RelayOf(module);
        foreach (var row in saving)
        {
            relay?.PrepareHandover(row);
        }

        Pending(db).Saving = saving;
    }

    public void Saved(string module, DbContext db)
    {
        if (!_pending.TryGetValue(db, out var pending) || pending.Saving is null)
        {
            return;
        }

        pending.Saved.AddRange(pending.Saving);
        pending.Saving = null;
        if (db.Database.CurrentTransaction is null)
        {
            Committed(module, db);
        }
    }

    public void SaveFailed(DbContext db)
    {
        if (_pending.TryGetValue(db, out var pending))
        {
            pending.Saving = null;
        }
    }

    /// <summary>An event was published in this transaction but never saved: committing would lose it, so refuse.</summary>
    public static void EnsureNothingUnsaved(DbContext db)
    {
        if (db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
        {
            throw new InvalidOperationException(
                "An integration event was published in this transaction but SaveChanges was not called before the commit; it would be lost. Call SaveChanges, or publish inside a command or event handler, which save for you.");
        }
    }

    public void Committed(string module, DbContext db)
    {
        if (!_pending.TryGetValue(db, out var pending))
        {
            return;
        }

        foreach (var type in pending.Published)
        {
            _telemetry.Published(module, type);
        }

        if (pending.Saved.Count > 0 && RelayOf(module) is { } relay)
        {
            // A commit not yet on disk is handed over at once, with the sync that will make it so: the
            // subscriber starts its handler's transaction only after that sync.
            relay.HandOver(pending.Saved, SqliteCommits.IsSyncDeferred(db) ? relay.MakeDurableAsync() : Task.CompletedTask);
        }

        _pending.Remove(db);
    }

    /// <summary>A savepoint marks what is saved so far: a rollback to it takes back only what was saved after.</summary>
    public void SavepointCreated(DbContext db)
    {
        var pending = Pending(db);
        pending.Savepoints.Push((pending.Saved.Count, pending.Published.Count));
    }

    /// <summary>Rows saved after the savepoint are gone from the database: they must never be handed over.</summary>
    public void RolledBackToSavepoint(DbContext db)
    {
        if (_pending.TryGetValue(db, out var pending) && pending.Savepoints.TryPeek(out var mark))
        {
            pending.Saved.RemoveRange(mark.Saved, pending.Saved.Count - mark.Saved);
            pending.Published.RemoveRange(mark.Published, pending.Published.Count - mark.Published);
        }
    }

    public void SavepointReleased(DbContext db)
    {
        if (_pending.TryGetValue(db, out var pending))
        {
            pending.Savepoints.TryPop(out _);
        }
    }

    /// <summary>A new transaction or a rollback: whatever was pending belongs to no commit.</summary>
    public void Forget(DbContext db)
    {
        _pending.Remove(db);
    }

    private PendingOutbox Pending(DbContext db) => _pending.GetValue(db, static _ => new PendingOutbox());

    private sealed class PendingOutbox
    {
        public List<OutboxMessage>? Saving { get; set; }

        public List<OutboxMessage> Saved { get; } = [];

        public List<string> Published { get; } = [];

        public Stack<(int Saved, int Published)> Savepoints { get; } = new();
    }
}
