using Platform.Shared.Abstractions;

namespace Platform.Shared.ContractQueries;

/// <summary>Implemented (internally) by the module that owns <typeparamref name="TQuery"/>.</summary>
public interface IContractQueryHandler<in TQuery, TResponse>
    where TQuery : IContractQuery<TResponse>
{
    Task<TResponse> HandleAsync(TQuery query, CancellationToken cancellationToken);
}
