using System.ComponentModel;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Ordering.Domain;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Api;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Ordering.Features.Orders;

/// <summary>The caller's orders, newest first; an administrator's list holds everyone's.</summary>
internal static class ListOrders
{
    internal sealed record Query(
        [property: Description("Only orders in this status: Pending, StockReserved, Confirmed or Cancelled.")] string? Status,
        [property: Description("1-based page number; default 1.")] int? Page,
        [property: Description("Items per page; default 20, at most 100.")] int? PageSize) : IQuery<PagedResult<OrderDto>>, IPagedQuery;

    internal sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            this.RulesForPaging();
            RuleFor(q => q.Status)
                .Must(status => status is null || Enum.GetNames<OrderStatus>().Contains(status, StringComparer.OrdinalIgnoreCase))
                .WithMessage($"One of {string.Join(", ", Enum.GetNames<OrderStatus>())}.");
        }
    }

    internal sealed class Handler(OrderingDbContext db, ICurrentUser caller) : IRequestHandler<Query, PagedResult<OrderDto>>
    {
        public async Task<PagedResult<OrderDto>> Handle(Query request, CancellationToken cancellationToken)
        {
            var orders = db.Orders.AsNoTracking().VisibleTo(caller, o => o.CustomerId);
            if (request.Status is not null)
            {
                var status = Enum.Parse<OrderStatus>(request.Status, ignoreCase: true);
                orders = orders.Where(o => o.Status == status);
            }

            var page = await orders.OrderByDescending(o => o.PlacedAt).ThenByDescending(o => o.Id).Select(o => o.Id)
                .ToPageByKeysAsync(request, ids => db.Orders.AsNoTracking().Include(o => o.Lines).Include(o => o.History).AsSplitQuery()
                    .Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken), cancellationToken);
            return page.Map(OrderDto.From);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/orders", async Task<Ok<PagedResult<OrderDto>>> ([AsParameters] Query query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .WithName("ListOrders")
            .WithSummary("List orders, newest first")
            .WithDescription("A customer's own orders; an administrator's list holds everyone's.")
            .ProducesValidationProblem();
}
