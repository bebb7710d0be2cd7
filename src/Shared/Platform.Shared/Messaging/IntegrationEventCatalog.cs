using System.Collections.Frozen;
using System.Reflection;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;

namespace Platform.Shared.Messaging;

/// <summary>One handler of one event type in one module, with the stable name its inbox rows carry.</summary>
public sealed record Subscription(string Module, string EventName, Type EventType, Type HandlerType, string Handler);

/// <summary>
/// Every integration event type known to this process by its wire name, and every subscription of
/// every module the application references, hosted here or not. Built once at start from the module
/// assemblies; nothing is registered by hand.
/// </summary>
public sealed class IntegrationEventCatalog
{
    private readonly FrozenDictionary<string, Type> _typesByName;
    private readonly FrozenDictionary<Type, string> _namesByType;
    private readonly FrozenDictionary<string, string[]> _destinationsByEvent;
    private readonly FrozenDictionary<string, Subscription[]> _hostedByModule;

    public IntegrationEventCatalog(IEnumerable<IModule> allModules, IEnumerable<IModule> hostedModules)
    {
        var all = allModules.ToList();
        var hosted = hostedModules.Select(m => m.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        AllSubscriptions = all.SelectMany(FindSubscriptions).ToList();
        Subscriptions = AllSubscriptions.Where(s => hosted.Contains(s.Module)).ToList();

        var eventTypes = all
            .SelectMany(ModuleContracts.AssembliesOf)
            .SelectMany(contracts => contracts.GetTypes())
            .Concat(AllSubscriptions.Select(s => s.EventType))
            .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(type))
            .Distinct()
            .ToList();

        var unnamed = eventTypes.Where(t => t.GetCustomAttribute<IntegrationEventAttribute>() is null).Select(t => t.FullName).ToList();
        if (unnamed.Count > 0)
        {
            throw new InvalidOperationException(
                $"Integration events need a stable wire name: add [IntegrationEvent(\"module.event-name\")] to {string.Join(", ", unnamed)}.");
        }

        var duplicate = eventTypes.GroupBy(NameOfType).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"The wire name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(t => t.FullName))}.");
        }

        var sameHandlerName = AllSubscriptions.GroupBy(s => s.Handler, StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault(g => g.Select(s => s.HandlerType).Distinct().Count() > 1);
        if (sameHandlerName is not null)
        {
            throw new InvalidOperationException(
                $"The handler name '{sameHandlerName.Key}' is used by {string.Join(" and ", sameHandlerName.Select(s => s.HandlerType.FullName).Distinct())}; handler names must be unique.");
        }

        _typesByName = eventTypes.ToFrozenDictionary(NameOfType, StringComparer.Ordinal);
        _namesByType = eventTypes.ToFrozenDictionary(t => t, NameOfType);
        _destinationsByEvent = AllSubscriptions.GroupBy(s => s.EventName)
            .ToFrozenDictionary(g => g.Key, g => g.Select(s => s.Module).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        _hostedByModule = Subscriptions.GroupBy(s => s.Module, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Subscriptions of every module the application references, whether this process hosts it or not.</summary>
    public IReadOnlyList<Subscription> AllSubscriptions { get; }

    /// <summary>Subscriptions of the modules hosted here.</summary>
    public IReadOnlyList<Subscription> Subscriptions { get; }

    /// <summary>The wire names of every integration event the application knows.</summary>
    public IReadOnlyCollection<string> EventNames => _typesByName.Keys;

    public string NameOf<TEvent>() => NameOf(typeof(TEvent));

    public string NameOf(Type eventType) =>
        _namesByType.TryGetValue(eventType, out var name) ? name : NameOfType(eventType);

    public Type? TypeOf(string eventName) => _typesByName.GetValueOrDefault(eventName);

    /// <summary>Every module that subscribes to the event, hosted here or not: each gets a delivery of its own.</summary>
    public IReadOnlyList<string> DestinationsOf(string eventName) =>
        _destinationsByEvent.GetValueOrDefault(eventName) ?? [];

    /// <summary>The hosted module's handlers.</summary>
    public IReadOnlyList<Subscription> SubscriptionsOf(string module) =>
        _hostedByModule.GetValueOrDefault(module) ?? [];

    /// <summary>The handlers in the module's assembly, under the module class's namespace.</summary>
    private static IEnumerable<Subscription> FindSubscriptions(IModule module) =>
        from handler in module.GetType().Assembly.GetTypes()
        where handler is { IsClass: true, IsAbstract: false } && InNamespaceOf(handler, module.GetType())
        from contract in handler.GetInterfaces()
        where contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IIntegrationEventHandler<>)
        let eventType = contract.GetGenericArguments()[0]
        select new Subscription(module.Name, NameOfType(eventType), eventType, handler, HandlerName(handler));

    private static bool InNamespaceOf(Type type, Type module) =>
        type.Namespace is { } ns && module.Namespace is { } root
        && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal));

    private static string HandlerName(Type handler) =>
        handler.GetCustomAttribute<IntegrationEventHandlerAttribute>()?.Name is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException(
                $"{handler.FullName} needs a stable name: add [IntegrationEventHandler(\"module.what-it-does\")]. Inbox rows are keyed by it.");

    private static string NameOfType(Type eventType) =>
        eventType.GetCustomAttribute<IntegrationEventAttribute>()?.Name
        ?? throw new InvalidOperationException($"{eventType.FullName} has no [IntegrationEvent] name.");
}
