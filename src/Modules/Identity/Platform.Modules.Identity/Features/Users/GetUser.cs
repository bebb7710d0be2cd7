using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Features.Accounts;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Users;

internal static class GetUser
{
    internal sealed record Query(Guid Id) : IQuery<UserDto>;

    internal sealed class Handler(IdentityDbContext db) : IRequestHandler<Query, UserDto>
    {
        public async Task<UserDto> Handle(Query request, CancellationToken cancellationToken)
        {
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == request.Id, cancellationToken)
                ?? throw new NotFoundException("User", request.Id);
            return UserDto.From(user);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/users/{id:guid}", async Task<Ok<UserDto>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Query(id), cancellationToken)))
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("GetUser")
            .WithSummary("Get an account by id (Admin)")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
