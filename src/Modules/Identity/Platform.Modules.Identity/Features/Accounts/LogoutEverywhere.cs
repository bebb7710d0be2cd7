using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class LogoutEverywhere
{
    internal sealed record Command : ICommand<bool>;

    /// <summary>Ends every session of the caller: a new security stamp, every session ended, every refresh token revoked.</summary>
    internal sealed class Handler(IdentityDbContext db, Sessions sessions, ICurrentUser caller, SecurityAudit audit) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == caller.Id, cancellationToken) ?? throw new NotFoundException("User", caller.Id);
            user.RotateSecurityStamp();
            await sessions.EndAllAsync(user.Id, SessionEndReasons.SignedOutEverywhere, cancellationToken);
            audit.SignedOutEverywhere(user.Id);
            return true;
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/logout-everywhere", async Task<NoContent> (IMediator mediator, CancellationToken cancellationToken) =>
            {
                await mediator.Send(new Command(), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("LogoutEverywhere")
            .WithSummary("Sign out everywhere: end every session of the caller")
            .WithDescription("Every access and refresh token of the account, on every device, stops working at once.");
}
