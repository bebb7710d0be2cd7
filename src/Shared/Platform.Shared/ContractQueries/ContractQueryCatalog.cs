using System.Collections.Frozen;
using System.Reflection;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;

namespace Platform.Shared.ContractQueries;

/// <summary>One contract query: its wire name, the module that answers it, and the types on both sides.</summary>
public sealed record ContractQueryType(string Name, string Owner, Type QueryType, Type ResponseType);

/// <summary>
/// Every contract query of every module the application references, by wire name and by type, read once
/// at start from the Contracts assemblies. A query without a stable name, or two with the same, stop the start.
/// </summary>
public sealed class ContractQueryCatalog
{
    private readonly FrozenDictionary<string, ContractQueryType> _byName;
    private readonly FrozenDictionary<Type, ContractQueryType> _byType;

    public ContractQueryCatalog(IEnumerable<IModule> allModules)
    {
        var queries = allModules
            .SelectMany(ModuleContracts.AssembliesOf)
            .Distinct()
            .SelectMany(contracts => contracts.GetTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && ResponseTypeOf(type) is not null)
            .ToList();

        var unnamed = queries.Where(t => t.GetCustomAttribute<ContractQueryAttribute>() is null).Select(t => t.FullName).ToList();
        if (unnamed.Count > 0)
        {
            throw new InvalidOperationException(
                $"Contract queries need a stable wire name: add [ContractQuery(\"module.what-it-answers\")] to {string.Join(", ", unnamed)}.");
        }

        var all = queries.Select(type => new ContractQueryType(
            type.GetCustomAttribute<ContractQueryAttribute>()!.Name, ModuleNaming.OwnerOfContract(type)!, type, ResponseTypeOf(type)!)).ToList();
        var duplicate = all.GroupBy(q => q.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"The contract query name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(q => q.QueryType.FullName))}.");
        }

        All = all;
        _byName = all.ToFrozenDictionary(q => q.Name, StringComparer.Ordinal);
        _byType = all.ToFrozenDictionary(q => q.QueryType);
    }

    public IReadOnlyList<ContractQueryType> All { get; }

    public ContractQueryType? Find(string name) => _byName.GetValueOrDefault(name);

    public ContractQueryType? Find(Type queryType) => _byType.GetValueOrDefault(queryType);

    public IEnumerable<ContractQueryType> OwnedBy(string module) =>
        All.Where(q => string.Equals(q.Owner, module, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="type"/> is a contract query (implements <see cref="IContractQuery{TResponse}"/>).</summary>
    public static bool IsContractQuery(Type type) => ResponseTypeOf(type) is not null;

    private static Type? ResponseTypeOf(Type type) =>
        type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IContractQuery<>))?.GetGenericArguments()[0];
}
