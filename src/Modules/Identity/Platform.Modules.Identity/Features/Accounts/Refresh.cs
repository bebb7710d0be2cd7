using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
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

    internal sealed class Handler(IdentityDbContext db, TokenIssuer tokens, TimeProvider clock) : IRequestHandler<Command, SignInOutcome>
    {
        public async Task<SignInOutcome> Handle(Command request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var hash = TokenIssuer.Hash(request.RefreshToken);
            var token = await db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
            if (token is null)
            {
                return new SignInOutcome.Rejected(Invalid);
            }

            if (token.WasUsed)
            {
                // A rotated token came back: whoever holds the family is not to be trusted any more.
                var family = await db.RefreshTokens.Where(t => t.FamilyId == token.FamilyId && t.RevokedAt == null).ToListAsync(cancellationToken);
                family.ForEach(t => t.Revoke(now));
                return new SignInOutcome.Rejected(Invalid);
            }

            var user = token.IsUsable(now) ? await db.Users.FirstOrDefaultAsync(u => u.Id == token.UserId, cancellationToken) : null;
            if (user is null)
            {
                return new SignInOutcome.Rejected(Invalid);
            }

            token.MarkUsed(now);
            return new SignInOutcome.Succeeded(tokens.Issue(user, token.FamilyId));
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/refresh", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (Command command, IMediator mediator, HttpContext http, CancellationToken cancellationToken) =>
                (await mediator.Send(command, cancellationToken)).ToHttpResult(http))
            .AllowAnonymous()
            .RequireRateLimiting(PlatformRateLimits.Credentials)
            .WithName("Refresh")
            .WithSummary("Exchange a refresh token for a new token pair")
            .WithDescription("Each refresh token works once. Presenting a used one again revokes every token descended from the same sign-in.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
