using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Platform.Modules.Identity.Features.Tokens;

namespace Platform.Modules.Identity.Features.Accounts;

/// <summary>
/// Sign-in and refresh report failures as values, not exceptions: a failed attempt must still be
/// committed (the failure count, a revoked token family) while the caller gets its 401 or 429.
/// </summary>
internal abstract record SignInOutcome
{
    internal sealed record Succeeded(TokenResponse Tokens) : SignInOutcome;

    internal sealed record Rejected(string Detail) : SignInOutcome;

    internal sealed record LockedOut(TimeSpan RetryAfter) : SignInOutcome;

    public Results<Ok<TokenResponse>, ProblemHttpResult> ToHttpResult(HttpContext http) => this switch
    {
        Succeeded success => TypedResults.Ok(success.Tokens),
        LockedOut locked => LockedOutProblem(http, locked.RetryAfter),
        Rejected rejected => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized.", detail: rejected.Detail),
        _ => throw new InvalidOperationException("Unknown sign-in outcome."),
    };

    private static ProblemHttpResult LockedOutProblem(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many failed sign-in attempts.",
            detail: $"Sign-in is locked for this email address; try again in {seconds} seconds.");
    }
}
