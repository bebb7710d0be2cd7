using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class Me
{
    internal sealed record Query : IQuery<UserDto>;

    internal sealed class Handler(IdentityDbContext db, ICurrentUser caller) : IRequestHandler<Query, UserDto>
    {
        public async Task<UserDto> Handle(Query request, CancellationToken cancellationToken)
        {
            var userId = caller.Id;
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
                ?? throw new NotFoundException("User", userId);
            return UserDto.From(user);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/me", async Task<Ok<UserDto>> (IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Query(), cancellationToken)))
            .WithName("Me")
            .WithSummary("The caller's account: id, email, display name and roles")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
