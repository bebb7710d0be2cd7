using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;
using Platform.Shared.Security;

namespace Platform.Modules.Ordering.Features.Orders;

/// <summary>
/// The owner or an administrator cancels an order that is not cancelled yet. OrderCancelled then makes
/// Inventory release (or return) the stock and Payments refund a charge, also one that lands later.
/// </summary>
internal static class CancelOrder
{
    internal sealed record Command(Guid Id) : ICommand<OrderDto>;

    internal sealed class Handler(OrderingDbContext db, IEventPublisher events, ICurrentUser caller, TimeProvider clock) : IRequestHandler<Command, OrderDto>
    {
        public async Task<OrderDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var order = await db.Orders.Include(o => o.Lines).Include(o => o.History).AsSplitQuery()
                .VisibleTo(caller, o => o.CustomerId).FirstOrDefaultAsync(o => o.Id == request.Id, cancellationToken)
                ?? throw new NotFoundException("Order", request.Id);
            if (!order.CancelByCustomer(clock.GetUtcNow()))
            {
                throw new ConflictException($"Order {order.Id} is already cancelled ({order.CancellationReason}).");
            }

            events.Publish(order.CancelledEvent());
            return OrderDto.From(order);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/orders/{id:guid}/cancel", async Task<Ok<OrderDto>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Command(id), cancellationToken)))
            .WithName("CancelOrder")
            .WithSummary("Cancel an order")
            .WithDescription(
                "The owner or an administrator. A pending or stock-reserved order has its stock released and any charge refunded; " +
                "a confirmed order is refunded and its stock returned. An order already cancelled is a 409; the saga may also have " +
                "moved the order meanwhile (409: read it again).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
