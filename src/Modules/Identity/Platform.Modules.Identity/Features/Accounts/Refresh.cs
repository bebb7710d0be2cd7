using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class Refresh
{
    private const string Invalid = "The refresh token is invalid, expired or revoked; sign in again.";

    internal sealed record Command(string RefreshToken) : ICommand<SignInOutcome>
    {
        public override string ToString() => "Refresh { }";
    }

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.RefreshToken).NotEmpty().MaximumLength(200);
    }

    internal sealed class Handler(IdentityDbContext db, TokenIssuer tokens, Sessions sessions, SecurityAudit audit, TimeProvider clock)
        : IRequestHandler<Command, SignInOutcome>
    {
        public async Task<SignInOutcome> Handle(Command request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var hash = TokenIssuer.Hash(request.RefreshToken);
            var token = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
            if (token is null || token.RevokedAt is not null || now >= token.ExpiresAt)
            {
                return new SignInOutcome.Rejected(Invalid);
            }

            // Using the token is one statement that decides by itself: of two refreshes that both read it
            // as unused, exactly one wins; the other is a reuse, whatever the isolation level.
            if (!await RefreshTokenStore.TryUseAsync(db, token.Id, now, cancellationToken))
            {
                // A used token came back: whoever holds the session is not to be trusted any more.
                await sessions.EndAsync(token.UserId, token.FamilyId, SessionEndReasons.RefreshTokenReused, cancellationToken);
                audit.RefreshTokenReused(token.UserId, token.FamilyId);
                return new SignInOutcome.Rejected(Invalid);
            }

            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == token.UserId, cancellationToken);
            var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == token.FamilyId, cancellationToken);
            return user is null || user.IsLocked || session is not { IsActive: true }
                ? new SignInOutcome.Rejected(Invalid)
                : new SignInOutcome.Succeeded(tokens.Issue(user, session.Id));
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/refresh", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (Command command, IMediator mediator, HttpContext http, CancellationToken cancellationToken) =>
                (await mediator.Send(command, cancellationToken)).ToHttpResult(http))
            .AllowAnonymous()
            .RequireRateLimiting(PlatformRateLimits.Credentials)
            .WithName("Refresh")
            .WithSummary("Exchange a refresh token for a new token pair")
            .WithDescription("Each refresh token works once. Presenting a used one again ends the session it belongs to: every token of that sign-in, access and refresh, stops working. A client retrying a refresh after a network error is signed out (no grace period: see docs/security.md).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
