using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Features.Accounts;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Users;

internal static class SetUserRoles
{
    internal sealed record Body(IReadOnlyList<string> Roles);

    internal sealed record Command(Guid Id, IReadOnlyList<string> Roles) : ICommand<UserDto>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Roles).NotNull().NotEmpty().WithMessage("Give at least one role.");
            RuleForEach(c => c.Roles)
                .Must(role => PlatformRoles.Canonical(role) is not null)
                .WithMessage($"Unknown role; known roles: {string.Join(", ", PlatformRoles.All)}.");
        }
    }

    internal sealed class Handler(IdentityDbContext db, Sessions sessions, ICurrentUser caller, SecurityAudit audit) : IRequestHandler<Command, UserDto>
    {
        public async Task<UserDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == request.Id, cancellationToken)
                ?? throw new NotFoundException("User", request.Id);
            var from = user.RoleNames.ToList();
            var roles = request.Roles.Select(role => PlatformRoles.Canonical(role)!).Distinct().ToList();

            if (user.IsInRole(PlatformRoles.Admin) && !roles.Contains(PlatformRoles.Admin))
            {
                if (!await LastAdminGuard.TryRemoveAdminAsync(db, user.Id, cancellationToken))
                {
                    throw new ConflictException("This is the last administrator; give another account the Admin role first.");
                }

                db.ChangeTracker.Clear();
                user = await db.Users.FirstAsync(u => u.Id == request.Id, cancellationToken);
            }

            // Takes effect on the account's next request: every request runs with the account's current roles.
            user.SetRoles(roles);
            sessions.ForgetAfterCommit(user.Id);
            audit.RolesChanged(caller.Id, user.Id, from, roles);
            return UserDto.From(user);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPut("/users/{id:guid}/roles", async Task<Ok<UserDto>> (Guid id, Body body, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Command(id, body.Roles), cancellationToken)))
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("SetUserRoles")
            .WithSummary("Replace an account's roles (Admin)")
            .WithDescription("Roles: Admin, Customer. The change applies to the account's very next request, whatever roles its current token carries. The last administrator cannot lose the Admin role (409), even when two administrators demote each other at the same moment.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
