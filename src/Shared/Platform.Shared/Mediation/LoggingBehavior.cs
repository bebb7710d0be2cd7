using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;

namespace Platform.Shared.Mediation;

/// <summary>
/// Logs each request with its module, outcome and duration at Debug, inside a scope naming the module.
/// Per-request lines at Information would cost more than the request itself on a fast read (the access
/// log belongs to the web server's own logging); unhandled errors are logged by the exception handler.
/// </summary>
internal sealed partial class LoggingBehavior<TRequest, TResponse>(ModuleRegistry modules, ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string RequestName = typeof(TRequest).DeclaringType is { } useCase ? $"{useCase.Name}.{typeof(TRequest).Name}" : typeof(TRequest).Name;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return await next();
        }

        var module = modules.OwnerOf(typeof(TRequest))?.Name ?? "Shared";
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Module"] = module, ["Request"] = RequestName });
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
