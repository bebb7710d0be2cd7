using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class Logout
{
    internal sealed record Command : ICommand<int>;

    /// <summary>Revokes every refresh token of the caller, on every device. Access tokens expire on their own.</summary>
    internal sealed class Handler(IdentityDbContext db, ICurrentUser caller, TimeProvider clock) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var userId = caller.Id;
            var active = await db.RefreshTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(cancellationToken);
            active.ForEach(t => t.Revoke(now));
            return active.Count;
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/logout", async Task<NoContent> (IMediator mediator, CancellationToken cancellationToken) =>
            {
                await mediator.Send(new Command(), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("Logout")
            .WithSummary("Sign out everywhere: revoke all of the caller's refresh tokens");
}
