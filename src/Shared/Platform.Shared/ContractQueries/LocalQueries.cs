using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Abstractions;

namespace Platform.Shared.ContractQueries;

/// <summary>Runs a hosted module's handler for a contract query known only at run time (by type or by wire name).</summary>
internal sealed class LocalQueries
{
    private readonly ConcurrentDictionary<Type, Func<IServiceProvider, object, CancellationToken, Task<object?>>> _dispatchers = new();

    public Task<object?> DispatchAsync(IServiceProvider services, ContractQueryType contract, object query, CancellationToken cancellationToken) =>
        _dispatchers.GetOrAdd(contract.QueryType, static (_, c) => typeof(LocalQueries)
                .GetMethod(nameof(Dispatch), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(c.QueryType, c.ResponseType)
                .CreateDelegate<Func<IServiceProvider, object, CancellationToken, Task<object?>>>(), contract)
            (services, query, cancellationToken);

    private static async Task<object?> Dispatch<TQuery, TResponse>(IServiceProvider services, object query, CancellationToken cancellationToken)
        where TQuery : IContractQuery<TResponse> =>
        await services.GetRequiredService<IContractQueryHandler<TQuery, TResponse>>().HandleAsync((TQuery)query, cancellationToken);
}
