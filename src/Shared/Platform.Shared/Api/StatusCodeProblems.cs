using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Shared.Api;

/// <summary>
/// Gives bodiless error responses (unknown route 404, 405, 401, 403, …) a problem details body.
/// Routing answers a body in the wrong content type with 415 before any handler runs; the API
/// promises 400 for every malformed request body, so that one is rewritten here.
/// </summary>
internal static class StatusCodeProblems
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var problem = new ProblemDetails { Status = http.Response.StatusCode };
        if (http.Response.StatusCode >= StatusCodes.Status502BadGateway && ForwardingFailure(http) is { } detail)
        {
            // A module hosted by another process (the gateway's routes): say so, without its address or the socket error.
            problem.Title = "A module is unavailable.";
            problem.Detail = detail;
        }
        else if (http.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            problem = UnsupportedContentType();
        }

        var writer = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    // Apart, and asked only for a 502 or later: precompiled code loads every type a method names when it first runs,
    // and a process that hosts every module (no gateway routes) should not load YARP for its first 401 or 404.
    private static string? ForwardingFailure(HttpContext http) =>
        http.Features.Get<Yarp.ReverseProxy.Forwarder.IForwarderErrorFeature>() is { } forwarding
            ? forwarding.Error is Yarp.ReverseProxy.Forwarder.ForwarderError.RequestTimedOut
                ? "The process that hosts this module did not answer in time; try again later."
                : "The process that hosts this module cannot be reached; try again later."
            : null;

    public static ProblemDetails UnsupportedContentType() => new()
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Unsupported content type.",
        Detail = "Send the request body as JSON with Content-Type: application/json.",
    };
}
