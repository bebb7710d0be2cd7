using System.ComponentModel;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Notifications.Persistence;
using Platform.Shared.Api;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Notifications.Features.Inbox;

internal static class ListMyNotifications
{
    internal sealed record NotificationDto(long Id, string Kind, string Subject, string Body, DateTimeOffset CreatedAt, DateTimeOffset? SentAt);

    internal sealed record Query(
        [property: Description("1-based page number; default 1.")] int? Page,
        [property: Description("Items per page; default 20, at most 100.")] int? PageSize) : IQuery<PagedResult<NotificationDto>>, IPagedQuery;

    internal sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => this.RulesForPaging();
    }

    internal sealed class Handler(NotificationsDbContext db, ICurrentUser caller) : IRequestHandler<Query, PagedResult<NotificationDto>>
    {
        public async Task<PagedResult<NotificationDto>> Handle(Query request, CancellationToken cancellationToken)
        {
            var userId = caller.Id;
            return await db.Notifications.AsNoTracking()
                .Where(n => n.UserId == userId)
                .OrderByDescending(n => n.Id)
                .Select(n => new NotificationDto(n.Id, n.Kind, n.Subject, n.Body, n.CreatedAt, n.SentAt))
                .ToPageAsync(request, cancellationToken);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/", async Task<Ok<PagedResult<NotificationDto>>> ([AsParameters] Query query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .WithName("ListMyNotifications")
            .WithSummary("The caller's notifications, newest first")
            .ProducesValidationProblem();
}
