using Platform.Shared.Abstractions;

namespace Platform.Shared.ContractQueries;

/// <summary>
/// The one way a module asks another module a question. The caller does not know whether the owner
/// runs in this process or elsewhere: the answer, and the exceptions a refusal turns into, are the same.
/// </summary>
public interface IModuleClient
{
    Task<TResponse> SendAsync<TResponse>(IContractQuery<TResponse> query, CancellationToken cancellationToken);
}

/// <summary>
/// The module that answers a contract query cannot be asked now: it is neither hosted here nor given an
/// address, or its process is down, slow, failing, or refuses this process's credential. Answered with 503.
/// </summary>
public sealed class ModuleUnavailableException(string module, string reason, Exception? innerException = null)
    : Exception($"Module '{module}' cannot be asked: {reason}", innerException)
{
    public string Module { get; } = module;

    public string Reason { get; } = reason;
}
