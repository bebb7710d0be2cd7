using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class Logout
{
    internal sealed record Command(Guid SessionId) : ICommand<bool>;

    /// <summary>Ends the caller's current session: its refresh tokens, and the access tokens that name it, stop working at once.</summary>
    internal sealed class Handler(Sessions sessions, ICurrentUser caller, SecurityAudit audit) : IRequestHandler<Command, bool>
    {
        public async Task<bool> Handle(Command request, CancellationToken cancellationToken)
        {
            await sessions.EndAsync(caller.Id, request.SessionId, SessionEndReasons.SignedOut, cancellationToken);
            audit.SignedOut(caller.Id, request.SessionId);
            return true;
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/logout", async Task<NoContent> (IMediator mediator, ICurrentUser caller, CancellationToken cancellationToken) =>
            {
                await mediator.Send(new Command(caller.SessionId), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("Logout")
            .WithSummary("Sign out of this session")
            .WithDescription("This session's access and refresh tokens stop working at once; the caller's other sessions (other devices) go on. Use logout-everywhere to end them all.");
}
