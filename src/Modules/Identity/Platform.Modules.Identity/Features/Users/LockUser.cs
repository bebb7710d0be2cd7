using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Accounts;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Users;

internal static class LockUser
{
    internal sealed record Command(Guid Id, bool Locked) : ICommand<UserDto>;

    /// <summary>Locking ends every session of the account at once and stops it signing in; unlocking lets it sign in again.</summary>
    internal sealed class Handler(IdentityDbContext db, Sessions sessions, ICurrentUser caller, SecurityAudit audit) : IRequestHandler<Command, UserDto>
    {
        public async Task<UserDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == request.Id, cancellationToken) ?? throw new NotFoundException("User", request.Id);
            if (request.Locked && user.Id == caller.Id)
            {
                throw new ConflictException("An administrator cannot lock their own account.");
            }

            if (request.Locked)
            {
                user.Lock();
                await sessions.EndAllAsync(user.Id, SessionEndReasons.Locked, cancellationToken);
            }
            else
            {
                user.Unlock();
                sessions.ForgetAfterCommit(user.Id);
            }

            audit.AccountLocked(caller.Id, user.Id, request.Locked);
            return UserDto.From(user);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/users/{id:guid}/lock", async Task<Ok<UserDto>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Command(id, Locked: true), cancellationToken)))
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("LockUser")
            .WithSummary("Lock an account: every session ends at once and it cannot sign in (Admin)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        endpoints.MapPost("/users/{id:guid}/unlock", async Task<Ok<UserDto>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Command(id, Locked: false), cancellationToken)))
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("UnlockUser")
            .WithSummary("Unlock an account so it can sign in again (Admin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
