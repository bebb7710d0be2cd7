using System.Runtime.ExceptionServices;
using Platform.Shared.Abstractions;

namespace Platform.Shared.ContractQueries;

/// <summary>
/// Another module's answer, asked for in a command's preparation (before the write turn) and read by its handler.
/// An owner that could not be asked is reported only when the handler reads the answer, as the
/// <see cref="ModuleUnavailableException"/> it was: a handler that finds it needs no answer after all (a retry
/// already done, a row another writer created meanwhile) still succeeds.
/// </summary>
public sealed class PreparedAnswer<TResponse>
{
    private readonly TResponse? _answer;
    private readonly ExceptionDispatchInfo? _unavailable;

    internal PreparedAnswer(TResponse? answer, ExceptionDispatchInfo? unavailable)
    {
        _answer = answer;
        _unavailable = unavailable;
    }

    /// <summary>The owner's answer; throws the owner's unavailability if it could not be asked.</summary>
    public TResponse Value
    {
        get
        {
            _unavailable?.Throw();
            return _answer!;
        }
    }
}

public static class PreparedAnswers
{
    /// <summary>Asks <paramref name="query"/> now, for a handler to read later (<see cref="PreparedAnswer{TResponse}"/>).</summary>
    public static async Task<PreparedAnswer<TResponse>> PrepareAsync<TResponse>(this IModuleClient modules, IContractQuery<TResponse> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modules);
        try
        {
            return new(await modules.SendAsync(query, cancellationToken), null);
        }
        catch (ModuleUnavailableException unavailable)
        {
            return new(default, ExceptionDispatchInfo.Capture(unavailable));
        }
    }
}
