using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Platform.Shared.ContractQueries;
using Platform.Shared.Errors;
using Platform.Shared.Persistence;

namespace Platform.Shared.Api;

/// <summary>
/// Turns every exception into an RFC 9457 problem: the known ones into the right 4xx with a clear
/// message, anything else into a bare 500 that names no type, message or stack.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem.Status >= StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        ValidationException validation => new HttpValidationProblemDetails(FieldErrors.From(validation.Errors))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
        },
        BadHttpRequestException { InnerException: JsonException json } => new HttpValidationProblemDetails(FieldErrors.FromJson(json))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request body is not valid JSON for this operation.",
        },
        BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => StatusCodeProblems.UnsupportedContentType(),
        BadHttpRequestException bind when FieldErrors.FromBindingFailure(bind.Message) is { } errors => new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
        },
        BadHttpRequestException missing when FieldErrors.IsMissingBody(missing.Message) => Problem(StatusCodes.Status400BadRequest, "The request body is missing.",
            "Send the request body as a JSON object with Content-Type: application/json."),
        BadHttpRequestException required when FieldErrors.FromMissingValue(required.Message) is { } errors => new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
        },
        // Anything else the framework could not read: the client hears what to fix, never the framework's internal wording.
        BadHttpRequestException badRequest => Problem(badRequest.StatusCode, "The request is invalid.",
            badRequest.StatusCode == StatusCodes.Status400BadRequest ? "The request could not be read; check its body, query string and headers." : ReasonPhrase(badRequest.StatusCode)),
        NotFoundException notFound => Problem(StatusCodes.Status404NotFound, "Not found.", notFound.Message),
        ConflictException conflict => Problem(StatusCodes.Status409Conflict, "Conflict.", conflict.Message),
        DbUpdateConcurrencyException => Problem(StatusCodes.Status409Conflict, "Conflict.",
            "The resource was changed by another request; read it again and retry."),
        DbUpdateException db when UniqueConstraint.IsViolation(db) => Problem(StatusCodes.Status409Conflict, "Conflict.",
            "A resource with the same unique value already exists."),
        BusinessRuleException { Errors: { Count: > 0 } errors } rule => new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request breaks a business rule.",
            Detail = rule.Message,
        },
        BusinessRuleException rule => Problem(StatusCodes.Status422UnprocessableEntity, "The request breaks a business rule.", rule.Message),
        DatabaseBusyException or Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 }
            or DbUpdateException { InnerException: Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } } => Problem(StatusCodes.Status503ServiceUnavailable,
            "The service is busy.", "The database is busy with other writes; retry in a moment."),
        ModuleUnavailableException unavailable => Problem(StatusCodes.Status503ServiceUnavailable, "A module is unavailable.",
            $"The {unavailable.Module} module cannot be asked right now; try again later."),
        _ => Problem(StatusCodes.Status500InternalServerError, "An unexpected error occurred.",
            "The error was logged; quote the traceId when reporting it."),
    };

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static ProblemDetails Problem(int status, string title, string detail) =>
        new() { Status = status, Title = title, Detail = detail };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
