using Platform.Modules.Ordering.Domain;

namespace Platform.Modules.Ordering.Features.Orders;

internal sealed record OrderLineDto(int LineNumber, Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

internal sealed record OrderStatusChangeDto(string Status, string? Reason, DateTimeOffset At);

/// <summary>An order as its owner (or an administrator) sees it: lines as priced at placement, and every step it went through.</summary>
internal sealed record OrderDto(
    Guid Id,
    Guid CustomerId,
    string Status,
    string? CancellationReason,
    IReadOnlyList<OrderLineDto> Lines,
    decimal Total,
    string Currency,
    DateTimeOffset PlacedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<OrderStatusChangeDto> History)
{
    public static OrderDto From(Order order) => new(
        order.Id,
        order.CustomerId,
        order.Status.ToString(),
        order.CancellationReason,
        order.Lines.OrderBy(l => l.LineNumber)
            .Select(l => new OrderLineDto(l.LineNumber, l.ProductId, l.Sku, l.Name, l.UnitPrice, l.Quantity, l.LineTotal)).ToList(),
        order.Total,
        order.Currency,
        order.PlacedAt,
        order.UpdatedAt,
        order.History.OrderBy(h => h.Id == 0 ? long.MaxValue : h.Id).ThenBy(h => h.At)
            .Select(h => new OrderStatusChangeDto(h.Status.ToString(), h.Reason, h.At)).ToList());
}
