using System.ComponentModel;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Persistence;
using Platform.Shared.Api;
using Platform.Shared.Mediation;
using Platform.Shared.Persistence;

namespace Platform.Modules.Catalog.Features.Products;

internal static class ListProducts
{
    public const int MaxFilterLength = 100;

    internal sealed record Query(
        [property: Description("Matches name, SKU or description, ignoring case.")] string? Search,
        [property: Description("Exact category, ignoring case.")] string? Category,
        [property: Description("1-based page number; default 1.")] int? Page,
        [property: Description("Items per page; default 20, at most 100.")] int? PageSize,
        [property: Description("Include deactivated products; default false.")] bool? IncludeInactive)
        : IQuery<PagedResult<ProductDto>>, IPagedQuery;

    internal sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            this.RulesForPaging();
            RuleFor(q => q.Search).MaximumLength(MaxFilterLength);
            RuleFor(q => q.Category).MaximumLength(MaxFilterLength);
        }
    }

    internal sealed class Handler(CatalogDbContext db) : IRequestHandler<Query, PagedResult<ProductDto>>
    {
        public async Task<PagedResult<ProductDto>> Handle(Query request, CancellationToken cancellationToken)
        {
            var products = db.Products.AsNoTracking();

            if (request.IncludeInactive != true)
            {
                products = products.Where(p => p.IsActive);
            }

            if (!string.IsNullOrWhiteSpace(request.Category))
            {
                var category = LikePattern.Escape(request.Category.Trim());
                products = products.Where(p => EF.Functions.Like(p.Category, category, LikePattern.EscapeCharacter));
            }

            if (!string.IsNullOrWhiteSpace(request.Search))
            {
                var pattern = "%" + LikePattern.Escape(request.Search.Trim()) + "%";
                products = products.Where(p =>
                    EF.Functions.Like(p.Name, pattern, LikePattern.EscapeCharacter) ||
                    EF.Functions.Like(p.Sku, pattern, LikePattern.EscapeCharacter) ||
                    EF.Functions.Like(p.Description, pattern, LikePattern.EscapeCharacter));
            }

            var page = await products.OrderBy(p => p.Name).ThenBy(p => p.Id).ToPageAsync(request, cancellationToken);
            return page.Map(ProductDto.From);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/products", async Task<Ok<PagedResult<ProductDto>>> ([AsParameters] Query query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .AllowAnonymous()
            .WithName("ListProducts")
            .WithSummary("List and search products")
            .WithDescription("Ordered by name, then id, so pages are stable. Only active products unless includeInactive is true.")
            .ProducesValidationProblem();
}
