using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;

namespace Platform.Shared.Messaging;

/// <summary>
/// Fails start-up, with a message saying what to change, when a hosted module subscribes to an event
/// or uses a contract query whose owning module this process cannot reach. Contract queries in use
/// are read from the module assembly's type references, so nothing is declared twice.
/// </summary>
internal static class OwnershipCheck
{
    public static void Verify(ModuleRegistry modules, IntegrationEventCatalog catalog, bool brokerTransport = false)
    {
        var problems = new List<string>();
        // Over a broker, a publisher hosted by another process reaches this one's queue.
        foreach (var subscription in brokerTransport ? [] : catalog.Subscriptions)
        {
            var owner = ModuleNaming.OwnerOfContract(subscription.EventType);
            if (owner is not null && !modules.IsEnabled(owner))
            {
                problems.Add($"{subscription.Module} subscribes to '{subscription.EventName}', published by {owner}, which is not hosted here: set Modules:{owner}:Enabled=true, or carry events between processes with Messaging:Transport=RabbitMQ.");
            }
        }

        foreach (var module in modules.Enabled)
        {
            foreach (var query in ContractQueriesUsedBy(module.GetType().Assembly))
            {
                var owner = ModuleNaming.OwnerOfContract(query)!;
                if (!string.Equals(owner, module.Name, StringComparison.OrdinalIgnoreCase) && !modules.IsEnabled(owner))
                {
                    problems.Add($"{module.Name} asks {owner} '{query.Name}', but {owner} is not hosted here: set Modules:{owner}:Enabled=true.");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Module dependencies are not satisfied:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems.Distinct()));
        }
    }

    /// <summary>The contract query types of other modules that this assembly's code refers to.</summary>
    internal static IEnumerable<Type> ContractQueriesUsedBy(Assembly assembly)
    {
        if (string.IsNullOrEmpty(assembly.Location))
        {
            return [];
        }

        using var stream = File.OpenRead(assembly.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
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
            if (type is not null && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IContractQuery<>)))
            {
                found.Add(type);
            }
        }

        return found;
    }
}
