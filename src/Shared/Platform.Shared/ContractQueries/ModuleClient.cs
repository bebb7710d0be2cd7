using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;

namespace Platform.Shared.ContractQueries;

/// <summary>
/// Sends a contract query to its owner: in a DI scope of its own when the owner is hosted here (so it never
/// shares a DbContext or transaction with the caller, just as over HTTP), else to the owner's process.
/// </summary>
internal sealed class ModuleClient(IServiceScopeFactory scopes, ModuleRegistry modules, ContractQueryCatalog queries, LocalQueries local, RemoteQueries remote)
    : IModuleClient
{
    public async Task<TResponse> SendAsync<TResponse>(IContractQuery<TResponse> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var contract = queries.Find(query.GetType())
            ?? throw new InvalidOperationException($"{query.GetType().Name} is not a named contract query of a module's Contracts assembly.");
        if (modules.IsEnabled(contract.Owner))
        {
            await using var scope = scopes.CreateAsyncScope();
            return (TResponse)(await local.DispatchAsync(scope.ServiceProvider, contract, query, cancellationToken))!;
        }

        return modules.UrlOf(contract.Owner) is { } url
            ? await remote.SendAsync<TResponse>(contract, url, query, cancellationToken)
            : throw new ModuleUnavailableException(contract.Owner,
                $"it is neither hosted here nor given an address (set {ModuleAddresses.UrlKey(contract.Owner)}).");
    }
}
