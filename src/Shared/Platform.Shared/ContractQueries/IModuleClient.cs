using Platform.Shared.Abstractions;

namespace Platform.Shared.ContractQueries;

/// <summary>
/// The one way a module asks another module a question. The caller does not know whether the owner
/// runs in this process or elsewhere.
/// </summary>
public interface IModuleClient
{
    Task<TResponse> SendAsync<TResponse>(IContractQuery<TResponse> query, CancellationToken cancellationToken);
}

/// <summary>The module that owns a contract query is not hosted and has no known address.</summary>
public sealed class ModuleUnavailableException(string module, Type queryType)
    : Exception($"Module '{module}' answers {queryType.Name} but is neither hosted here nor reachable.")
{
    public string Module { get; } = module;
}
