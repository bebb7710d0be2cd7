using System.Reflection;
using System.Reflection.Metadata;
using Platform.Shared.ContractQueries;
using Platform.Shared.Messaging;
using Platform.Shared.Modules;

namespace Platform.Shared.Hosting;

/// <summary>
/// Fails start-up, with a message naming the setting to change, when a hosted module depends on a module
/// this process can neither run nor reach: a publisher whose events cannot arrive, a subscriber that lives in
/// another process its events cannot reach, or the owner of a contract query with neither a host nor an address.
/// Contract queries in use are read from each module assembly's type references, so nothing is declared twice.
/// </summary>
internal static class PlacementCheck
{
    public static void Verify(ModuleRegistry modules, IntegrationEventCatalog events, ContractQueryCatalog queries, bool brokerTransport, bool canGetServiceTokens)
    {
        var problems = new List<string>();
        // Over a broker every module's queue receives what any process publishes.
        if (!brokerTransport)
        {
            foreach (var subscription in events.Subscriptions)
            {
                var owner = ModuleNaming.OwnerOfContract(subscription.EventType);
                if (owner is not null && !modules.IsEnabled(owner))
                {
                    problems.Add($"{subscription.Module} subscribes to '{subscription.EventName}', published by {owner}, which is not hosted here: set Modules:{owner}:Enabled=true, or carry events between processes with Messaging:Transport=RabbitMQ.");
                }
            }

            // A subscriber merely not hosted waits for a host on the same data (its deliveries stay visible);
            // one that lives in another process would never hear of these events.
            foreach (var subscription in events.AllSubscriptions.Where(s => modules.UrlOf(s.Module) is not null))
            {
                var publisher = ModuleNaming.OwnerOfContract(subscription.EventType);
                if (publisher is not null && modules.IsEnabled(publisher))
                {
                    problems.Add($"{publisher} publishes '{subscription.EventName}' to {subscription.Module}, which lives in another process ({ModuleAddresses.UrlKey(subscription.Module)}): events reach other processes only over a broker, so set Messaging:Transport=RabbitMQ.");
                }
            }
        }

        foreach (var module in modules.Enabled)
        {
            foreach (var query in ContractQueriesUsedBy(module.GetType().Assembly))
            {
                var owner = ModuleNaming.OwnerOfContract(query)!;
                if (string.Equals(owner, module.Name, StringComparison.OrdinalIgnoreCase) || modules.IsEnabled(owner))
                {
                    continue;
                }

                if (modules.UrlOf(owner) is null)
                {
                    problems.Add($"{module.Name} asks {owner} '{queries.Find(query)?.Name ?? query.Name}', but {owner} is neither hosted here nor given an address: set Modules:{owner}:Enabled=true, or {ModuleAddresses.UrlKey(owner)} to the process that hosts it.");
                }
                else if (!canGetServiceTokens)
                {
                    problems.Add($"{module.Name} asks {owner} in another process, which takes only service tokens: set Service:Name and Service:Secret, and register them in Identity's process.");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Module dependencies are not satisfied:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems.Distinct()));
        }
    }

    /// <summary>
    /// The contract query types of other modules that this assembly's code refers to, read from the metadata
    /// the runtime has loaded: a single-file publish has no assembly files to open.
    /// </summary>
    internal static unsafe IReadOnlyList<Type> ContractQueriesUsedBy(Assembly assembly)
    {
        if (!assembly.TryGetRawMetadata(out var blob, out var length))
        {
            throw new InvalidOperationException($"The metadata of {assembly.GetName().Name} cannot be read, so its contract queries cannot be checked.");
        }

        var metadata = new MetadataReader(blob, length);
        var found = new List<Type>();
        foreach (var handle in metadata.TypeReferences)
        {
            var reference = metadata.GetTypeReference(handle);
            if (reference.ResolutionScope.Kind != HandleKind.AssemblyReference)
            {
                continue;
            }

            var assemblyName = metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).Name);
            if (ModuleNaming.OwnerOfContractsAssembly(assemblyName) is null)
            {
                continue;
            }

            var type = Assembly.Load(new AssemblyName(assemblyName))
                .GetType($"{metadata.GetString(reference.Namespace)}.{metadata.GetString(reference.Name)}");
            if (type is not null && ContractQueryCatalog.IsContractQuery(type))
            {
                found.Add(type);
            }
        }

        return found;
    }
}
