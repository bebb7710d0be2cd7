using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Abstractions;
using Platform.Shared.Modules;

namespace Platform.Shared.ContractQueries;

/// <summary>
/// Answers a contract query with the owning module's handler, in a DI scope of its own so the owner
/// never shares a DbContext or transaction with the caller, just as it would not over HTTP.
/// </summary>
internal sealed class InProcessModuleClient(IServiceScopeFactory scopes, ModuleRegistry modules) : IModuleClient
{
    private readonly ConcurrentDictionary<Type, MethodInfo> _dispatchers = new();

    public async Task<TResponse> SendAsync<TResponse>(IContractQuery<TResponse> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var queryType = query.GetType();
        var owner = ModuleNaming.OwnerOfContract(queryType)
            ?? throw new InvalidOperationException($"{queryType.Name} is not declared in a module's Contracts assembly.");
        if (!modules.IsEnabled(owner))
        {
            throw new ModuleUnavailableException(owner, queryType);
        }

        await using var scope = scopes.CreateAsyncScope();
        var dispatch = _dispatchers.GetOrAdd(queryType, static type =>
            typeof(InProcessModuleClient).GetMethod(nameof(Dispatch), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(type, typeof(TResponse)));
        return await (Task<TResponse>)dispatch.Invoke(null, [scope.ServiceProvider, query, cancellationToken])!;
    }

    private static Task<TResponse> Dispatch<TQuery, TResponse>(IServiceProvider services, TQuery query, CancellationToken cancellationToken)
        where TQuery : IContractQuery<TResponse> =>
        services.GetRequiredService<IContractQueryHandler<TQuery, TResponse>>().HandleAsync(query, cancellationToken);
}
