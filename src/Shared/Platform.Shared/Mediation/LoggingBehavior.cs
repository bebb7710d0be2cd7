using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;

namespace Platform.Shared.Mediation;

/// <summary>
/// Runs each request inside a log scope naming its module and use case, so whatever is logged while it
/// runs (EF Core errors, warnings, security audit events) says where it came from, and logs its outcome and
/// duration at Debug. Per-request lines at Information would cost more than the request itself on a fast
/// read (the access log belongs to the web server's own logging); unhandled errors are logged by the
/// exception handler.
/// </summary>
internal sealed partial class LoggingBehavior<TRequest, TResponse>(ModuleRegistry modules, ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string RequestName = typeof(TRequest).DeclaringType is { } useCase ? $"{useCase.Name}.{typeof(TRequest).Name}" : typeof(TRequest).Name;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var module = modules.OwnerOf(typeof(TRequest))?.Name ?? "Shared";
        using var scope = logger.BeginScope(new RequestScope(module, RequestName));
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return await next();
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            LogHandled(module, RequestName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception exception)
        {
            LogFailed(module, RequestName, Stopwatch.GetElapsedTime(started).TotalMilliseconds, exception.GetType().Name);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Module} handled {Request} in {ElapsedMs:0.0} ms")]
    private partial void LogHandled(string module, string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Module} failed {Request} after {ElapsedMs:0.0} ms: {Error}")]
    private partial void LogFailed(string module, string request, double elapsedMs, string error);
}

/// <summary>The scope's two properties in one small object, instead of a dictionary per request.</summary>
internal sealed class RequestScope(string module, string request) : IReadOnlyList<KeyValuePair<string, object>>
{
    public int Count => 2;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new("Module", module),
        1 => new("Request", request),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{module} {request}";
}
