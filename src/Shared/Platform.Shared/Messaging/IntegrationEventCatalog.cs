using System.Collections.Frozen;
using System.Reflection;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;

namespace Platform.Shared.Messaging;

/// <summary>One handler of one event type in one module.</summary>
public sealed record Subscription(string Module, string EventName, Type EventType, Type HandlerType)
{
    /// <summary>The handler's name in inbox rows and dead-letter listings.</summary>
    public string Handler => HandlerType.FullName!;
}

/// <summary>
/// Every integration event type known to this process by its wire name, and every subscription of
/// the hosted modules. Built once at start from the module assemblies; nothing is registered by hand.
/// </summary>
public sealed class IntegrationEventCatalog
{
    private readonly FrozenDictionary<string, Type> _typesByName;
    private readonly FrozenDictionary<Type, string> _namesByType;
    private readonly FrozenDictionary<string, Subscription[]> _subscriptionsByEvent;

    public IntegrationEventCatalog(IEnumerable<IModule> allModules, IEnumerable<IModule> hostedModules)
    {
        var hosted = hostedModules.ToList();
        Subscriptions = hosted.SelectMany(FindSubscriptions).ToList();

        var eventTypes = allModules
            .SelectMany(module => ContractsOf(module.GetType().Assembly))
            .SelectMany(contracts => contracts.GetTypes())
            .Concat(Subscriptions.Select(s => s.EventType))
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

        _typesByName = eventTypes.ToFrozenDictionary(NameOfType, StringComparer.Ordinal);
        _namesByType = eventTypes.ToFrozenDictionary(t => t, NameOfType);
        _subscriptionsByEvent = Subscriptions.GroupBy(s => s.EventName).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<Subscription> Subscriptions { get; }

    public string NameOf<TEvent>() => NameOf(typeof(TEvent));

    public string NameOf(Type eventType) =>
        _namesByType.TryGetValue(eventType, out var name) ? name : NameOfType(eventType);

    public Type? TypeOf(string eventName) => _typesByName.GetValueOrDefault(eventName);

    public IReadOnlyList<Subscription> SubscribersOf(string eventName) =>
        _subscriptionsByEvent.GetValueOrDefault(eventName) ?? [];

    public IEnumerable<Subscription> SubscriptionsOf(string module) =>
        Subscriptions.Where(s => string.Equals(s.Module, module, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<Subscription> FindSubscriptions(IModule module) =>
        from handler in module.GetType().Assembly.GetTypes()
        where handler is { IsClass: true, IsAbstract: false }
        from contract in handler.GetInterfaces()
        where contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IIntegrationEventHandler<>)
        let eventType = contract.GetGenericArguments()[0]
        select new Subscription(module.Name, NameOfType(eventType), eventType, handler);

    private static string NameOfType(Type eventType) =>
        eventType.GetCustomAttribute<IntegrationEventAttribute>()?.Name
        ?? throw new InvalidOperationException($"{eventType.FullName} has no [IntegrationEvent] name.");

    private static IEnumerable<Assembly> ContractsOf(Assembly moduleAssembly)
    {
        var name = moduleAssembly.GetName().Name + ".Contracts";
        Assembly? contracts = null;
        try
        {
            contracts = Assembly.Load(new AssemblyName(name));
        }
        catch (FileNotFoundException)
        {
        }

        return contracts is null ? [] : [contracts];
    }
}
