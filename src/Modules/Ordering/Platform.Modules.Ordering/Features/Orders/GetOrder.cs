using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Ordering.Features.Orders;

/// <summary>One order with its history. Someone else's order is a 404, exactly like one that does not exist.</summary>
internal static class GetOrder
{
    internal sealed record Query(Guid Id) : IQuery<OrderDto>;

    internal sealed class Handler(OrderingDbContext db, ICurrentUser caller) : IRequestHandler<Query, OrderDto>
    {
        public async Task<OrderDto> Handle(Query request, CancellationToken cancellationToken) =>
            OrderDto.From(await db.Orders.AsNoTracking().Include(o => o.Lines).Include(o => o.History).AsSplitQuery()
                .VisibleTo(caller, o => o.CustomerId).FirstOrDefaultAsync(o => o.Id == request.Id, cancellationToken)
                ?? throw new NotFoundException("Order", request.Id));
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/orders/{id:guid}", async Task<Ok<OrderDto>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Query(id), cancellationToken)))
            .WithName("GetOrder")
            .WithSummary("Get an order with its status history")
            .WithDescription("The owner or an administrator; for anyone else the order does not exist (404).")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
