using System.ComponentModel;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Identity.Features.Accounts;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Api;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Users;

internal static class ListUsers
{
    internal sealed record Query(
        [property: Description("1-based page number; default 1.")] int? Page,
        [property: Description("Items per page; default 20, at most 100.")] int? PageSize) : IQuery<PagedResult<UserDto>>, IPagedQuery;

    internal sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => this.RulesForPaging();
    }

    internal sealed class Handler(IdentityDbContext db) : IRequestHandler<Query, PagedResult<UserDto>>
    {
        public async Task<PagedResult<UserDto>> Handle(Query request, CancellationToken cancellationToken)
        {
            var page = await db.Users.AsNoTracking().OrderBy(u => u.NormalizedEmail).ToPageAsync(request, cancellationToken);
            return page.Map(UserDto.From);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/users", async Task<Ok<PagedResult<UserDto>>> ([AsParameters] Query query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("ListUsers")
            .WithSummary("List accounts (Admin)")
            .WithDescription("Ordered by email address.")
            .ProducesValidationProblem();
}
