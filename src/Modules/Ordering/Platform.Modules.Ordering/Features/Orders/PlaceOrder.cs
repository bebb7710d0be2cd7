using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Catalog.Contracts;
using Platform.Modules.Ordering.Contracts;
using Platform.Modules.Ordering.Domain;
using Platform.Modules.Ordering.Persistence;
using Platform.Shared.ContractQueries;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Messaging;
using Platform.Shared.Persistence;
using Platform.Shared.Security;

namespace Platform.Modules.Ordering.Features.Orders;

/// <summary>
/// Places an order: prices every line with Catalog's current snapshot (never the client's numbers),
/// stores it as Pending and publishes OrderPlaced in the same transaction. The rest of the saga runs
/// behind the 202. An Idempotency-Key makes a retried request return the first order instead of a second.
/// </summary>
internal static class PlaceOrder
{
    internal sealed record Line(Guid ProductId, int Quantity);

    internal sealed record Request(IReadOnlyList<Line>? Lines);

    internal sealed record Command(IReadOnlyList<Line> Lines, string? IdempotencyKey) : ICommand<OrderDto>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Lines).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("An order needs at least one line.")
                .Must(lines => lines.Count <= Order.MaxLines).WithMessage($"An order has at most {Order.MaxLines} lines.")
                .Custom(NoProductTwice);
            RuleForEach(c => c.Lines).NotNull().WithMessage("A line is an object with productId and quantity.").ChildRules(line =>
            {
                line.RuleFor(l => l.ProductId).NotEmpty();
                line.RuleFor(l => l.Quantity).InclusiveBetween(1, Order.MaxQuantityPerLine);
            });
            RuleFor(c => c.IdempotencyKey)
                .MaximumLength(Order.IdempotencyKeyMaxLength)
                .Must(key => key is null || key.All(ch => ch is >= '!' and <= '~'))
                .WithMessage("Printable ASCII characters without spaces only.");
        }

        private static void NoProductTwice(IReadOnlyList<Line> lines, ValidationContext<Command> context)
        {
            var firstLineOf = new Dictionary<Guid, int>();
            for (var i = 0; i < lines.Count; i++)
            {
                if (lines[i] is { } line && !firstLineOf.TryAdd(line.ProductId, i))
                {
                    context.AddFailure($"Lines[{i}].ProductId", $"The product is already on line {firstLineOf[line.ProductId] + 1}; order each product on one line.");
                }
            }
        }
    }

    /// <summary>The customer's order placed under an Idempotency-Key (one at most: a unique index).</summary>
    private static IQueryable<Order> OrdersOfKey(OrderingDbContext db, Guid customerId, string key) =>
        db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId && o.IdempotencyKey == key);

    /// <summary>
    /// Catalog's current snapshot of every product on the order, read before Ordering's write turn: when Catalog
    /// lives in another process this is a round trip, and inside the transaction it held Ordering's one writer
    /// for all of it (decision 0013). A retry whose Idempotency-Key already has an order needs no prices and
    /// does not ask; an unreachable Catalog is reported by the handler, once it knows the prices are needed.
    /// </summary>
    internal sealed class Pricing(OrderingDbContext db, IModuleClient modules, ICurrentUser caller) : ICommandPreparation<Command>
    {
        private PreparedAnswer<IReadOnlyList<ProductSnapshot>>? _snapshots;

        public async Task PrepareAsync(Command command, CancellationToken cancellationToken)
        {
            _snapshots = null;
            if (command.IdempotencyKey is { } key
                && await OrdersOfKey(db, caller.Id, key).AnyAsync(cancellationToken))
            {
                return; // the handler answers with the first order
            }

            _snapshots = await modules.PrepareAsync(new GetProductSnapshots(command.Lines.Select(l => l.ProductId).ToList()), cancellationToken);
        }

        public Dictionary<Guid, ProductSnapshot> Snapshots =>
            (_snapshots ?? throw new InvalidOperationException("PlaceOrder was priced before its handler ran, or its Idempotency-Key had an order then."))
                .Value.ToDictionary(s => s.ProductId);
    }

    internal sealed class Handler(OrderingDbContext db, Pricing pricing, IEventPublisher events, ICurrentUser caller, TimeProvider clock)
        : IRequestHandler<Command, OrderDto>
    {
        public async Task<OrderDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var customerId = caller.Id;
            var fingerprint = request.IdempotencyKey is null ? null : Fingerprint(request.Lines);
            if (request.IdempotencyKey is not null && await FirstOrderOfKeyAsync(customerId, request.IdempotencyKey, cancellationToken) is { } first)
            {
                return first.RequestFingerprint == fingerprint
                    ? OrderDto.From(first)
                    : throw new BusinessRuleException("This Idempotency-Key was already used for a different order; use a new key for a new order.");
            }

            var snapshots = pricing.Snapshots;
            var lines = PriceLines(request.Lines, snapshots);

            var order = Order.Place(customerId, caller.Email ?? string.Empty, lines, snapshots[request.Lines[0].ProductId].Currency,
                request.IdempotencyKey, fingerprint, clock.GetUtcNow());
            db.Orders.Add(order);
            events.Publish(new OrderPlaced(order.Id, order.CustomerId,
                order.Lines.Select(l => new OrderedLine(l.ProductId, l.Quantity)).ToList(), order.Total, order.Currency, order.PlacedAt));
            return OrderDto.From(order);
        }

        public Task<Order?> FirstOrderOfKeyAsync(Guid customerId, string key, CancellationToken cancellationToken) =>
            OrdersOfKey(db, customerId, key).Include(o => o.Lines).Include(o => o.History).AsSplitQuery().FirstOrDefaultAsync(cancellationToken);

        // Every line is checked before any is refused, so the client hears of all of them at once.
        private static List<OrderLine> PriceLines(IReadOnlyList<Line> requested, Dictionary<Guid, ProductSnapshot> snapshots)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var currency = snapshots.GetValueOrDefault(requested[0].ProductId)?.Currency;
            for (var i = 0; i < requested.Count; i++)
            {
                var key = $"lines[{i}].productId";
                if (!snapshots.TryGetValue(requested[i].ProductId, out var product))
                {
                    errors[key] = ["No product has this id."];
                }
                else if (!product.IsActive)
                {
                    errors[key] = [$"'{product.Name}' is no longer for sale."];
                }
                else if (currency is not null && product.Currency != currency)
                {
                    errors[key] = [$"'{product.Name}' is priced in {product.Currency}, the order in {currency}; one currency per order."];
                }
            }

            if (errors.Count > 0)
            {
                throw new BusinessRuleException("Some lines cannot be ordered.", errors);
            }

            return requested.Select((line, i) =>
            {
                var product = snapshots[line.ProductId];
                return OrderLine.Of(i + 1, product.ProductId, product.Sku, product.Name, product.UnitPrice, line.Quantity);
            }).ToList();
        }

        private static string Fingerprint(IReadOnlyList<Line> lines)
        {
            // The same lines in another order are the same order.
            var canonical = string.Join(';', lines.OrderBy(l => l.ProductId).Select(l => $"{l.ProductId:N}:{l.Quantity}"));
            return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/orders", async Task<Accepted<OrderDto>> (
                Request body,
                [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
                IMediator mediator,
                IServiceScopeFactory scopes,
                CancellationToken cancellationToken) =>
            {
                var command = new Command(body.Lines ?? [], string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey);
                OrderDto order;
                try
                {
                    order = await mediator.Send(command, cancellationToken);
                }
                catch (DbUpdateException race) when (command.IdempotencyKey is not null && UniqueConstraint.IsViolation(race))
                {
                    // The same key, sent twice at once: the other request stored the order; answer with it,
                    // from a fresh scope, so nothing of the failed attempt is saved again.
                    await using var retry = scopes.CreateAsyncScope();
                    order = await retry.ServiceProvider.GetRequiredService<IMediator>().Send(command, cancellationToken);
                }

                return TypedResults.Accepted($"/api/ordering/orders/{order.Id}", order);
            })
            .RequireAuthorization(PlatformPolicies.Customer)
            .WithName("PlaceOrder")
            .WithSummary("Place an order")
            .WithDescription(
                $"Prices each line from the catalog and answers 202 with the order, status Pending; stock, payment and the outcome follow " +
                $"(poll GET /api/ordering/orders/{{id}}). At most {Order.MaxLines} lines, each product once, 1 to {Order.MaxQuantityPerLine} of each, " +
                "all in one currency. Send an Idempotency-Key header (up to 100 printable characters) to make retries safe: the same key " +
                "with the same lines returns the first order; with other lines it is refused (422).")
            .ProducesValidationProblem()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
