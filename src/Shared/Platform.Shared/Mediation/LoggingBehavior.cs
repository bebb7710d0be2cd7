using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;
using Platform.Shared.Modules;

namespace Platform.Shared.Mediation;

/// <summary>Logs every request with its module, outcome and duration, inside a scope naming the module.</summary>
internal sealed partial class LoggingBehavior<TRequest, TResponse>(ModuleRegistry modules, ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var module = modules.OwnerOf(typeof(TRequest))?.Name ?? "Shared";
        var name = RequestName(typeof(TRequest));
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Module"] = module, ["Request"] = name });
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            LogHandled(module, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception exception)
        {
            LogFailed(module, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, exception.GetType().Name);
            throw;
        }
    }

    // Use cases nest their request in a class named after the use case: CreateProduct+Command reads as CreateProduct.Command.
    private static string RequestName(Type type) => type.DeclaringType is { } useCase ? $"{useCase.Name}.{type.Name}" : type.Name;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Module} handled {Request} in {ElapsedMs:0.0} ms")]
    private partial void LogHandled(string module, string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Module} failed {Request} after {ElapsedMs:0.0} ms: {Error}")]
    private partial void LogFailed(string module, string request, double elapsedMs, string error);
}
