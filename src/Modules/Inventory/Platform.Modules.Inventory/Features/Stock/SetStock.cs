using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Contracts;
using Platform.Modules.Inventory.Domain;
using Platform.Modules.Inventory.Features.Reservations;
using Platform.Modules.Inventory.Persistence;
using Platform.Shared.ContractQueries;
using Platform.Shared.Errors;
using Platform.Shared.Mediation;
using Platform.Shared.Persistence;
using Platform.Shared.Security;

namespace Platform.Modules.Inventory.Features.Stock;

internal static class SetStock
{
    // Nullable so that a body without onHand is a 400 naming it, never a silent zero.
    internal sealed record Body(int? OnHand);

    internal sealed record Command(Guid ProductId, int? OnHand) : ICommand<StockDto>;

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.OnHand).NotNull().InclusiveBetween(0, StockItem.MaxQuantity);
    }

    /// <summary>
    /// Asks Catalog for the product before Inventory's write turn, when Inventory has no item for it yet (products
    /// created before Inventory existed, or whose event has not arrived). Inside the turn the round trip, over HTTP
    /// when Catalog runs elsewhere, would hold Inventory's one writer, and every reservation would queue behind it
    /// (decision 0013). An unreachable Catalog is reported only if the handler still needs the product.
    /// </summary>
    internal sealed class CatalogProduct(InventoryDbContext db, IModuleClient modules) : ICommandPreparation<Command>
    {
        private PreparedAnswer<IReadOnlyList<ProductSnapshot>>? _product;

        public async Task PrepareAsync(Command command, CancellationToken cancellationToken)
        {
            _product = null;
            if (await db.StockItems.AnyAsync(s => s.ProductId == command.ProductId, cancellationToken))
            {
                return;
            }

            _product = await modules.PrepareAsync(new GetProductSnapshots([command.ProductId]), cancellationToken);
        }

        /// <summary>The product as Catalog has it: a 404 when Catalog has none, a 503 when it could not be asked.</summary>
        public ProductSnapshot Of(Guid productId) =>
            (_product ?? throw new InvalidOperationException("SetStock found no stock item that its preparation had seen: stock items are never deleted."))
                .Value.SingleOrDefault() ?? throw new NotFoundException("Product", productId);
    }

    internal sealed class Handler(InventoryDbContext db, CatalogProduct catalog, TimeProvider clock) : IRequestHandler<Command, StockDto>
    {
        public async Task<StockDto> Handle(Command request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var onHand = request.OnHand!.Value;
            if (!await db.StockItems.AnyAsync(s => s.ProductId == request.ProductId, cancellationToken))
            {
                // Products created before Inventory existed (or whose event has not arrived yet) get their
                // item here, once Catalog confirms the product.
                var product = catalog.Of(request.ProductId);
                db.StockItems.Add(StockItem.Create(product.ProductId, product.Sku, product.Name, onHand, now));
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    return await ReadAsync(request.ProductId, cancellationToken);
                }
                catch (DbUpdateException exception) when (UniqueConstraint.IsViolation(exception))
                {
                    db.ChangeTracker.Clear(); // ProductCreated created it meanwhile: set it like any other.
                }
            }

            if (!await StockLedger.TrySetOnHandAsync(db, request.ProductId, onHand, now, cancellationToken))
            {
                var reserved = await db.StockItems.Where(s => s.ProductId == request.ProductId).Select(s => s.Reserved).SingleAsync(cancellationToken);
                throw new ConflictException($"On hand cannot go below the {reserved} unit(s) reserved for orders.");
            }

            return await ReadAsync(request.ProductId, cancellationToken);
        }

        private async Task<StockDto> ReadAsync(Guid productId, CancellationToken cancellationToken) =>
            StockDto.From(await db.StockItems.AsNoTracking().SingleAsync(s => s.ProductId == productId, cancellationToken));
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPut("/stock/{productId:guid}", async Task<Ok<StockDto>> (Guid productId, Body body, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new Command(productId, body.OnHand), cancellationToken)))
            .RequireAuthorization(PlatformPolicies.Admin)
            .WithName("SetStock")
            .WithSummary("Set a product's stock on hand")
            .WithDescription("Sets the absolute quantity counted on hand. Creates the stock item if the product exists in the catalog but has none yet. On hand cannot go below what is reserved for orders (409).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
}
