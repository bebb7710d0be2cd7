using System.ComponentModel;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Platform.Modules.Catalog.Persistence;
using Platform.Modules.Catalog.Persistence.Search;
using Platform.Shared.Api;
using Platform.Shared.Mediation;
using Platform.Shared.Persistence;

namespace Platform.Modules.Catalog.Features.Products;

internal static class ListProducts
{
    public const int MaxFilterLength = 100;
    private const string ByName = "name";
    private const string ByRelevance = "relevance";

    private static string? SortBy(string? sort) => sort?.Trim().ToLowerInvariant() switch
    {
        null or "" or ByName => ByName,
        ByRelevance => ByRelevance,
        _ => null,
    };

    internal sealed record Query(
        [property: Description("Words that must each start a word of the name, SKU or description, in any order; case and accents are ignored, punctuation separates words.")] string? Search,
        [property: Description("Exact category, ignoring case.")] string? Category,
        [property: Description("1-based page number; default 1.")] int? Page,
        [property: Description("Items per page; default 20, at most 100.")] int? PageSize,
        [property: Description("Include deactivated products; default false.")] bool? IncludeInactive,
        [property: Description("name (default: by name, then id) or relevance (best match first; needs search).")] string? Sort)
        : IQuery<PagedResult<ProductDto>>, IPagedQuery;

    internal sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            this.RulesForPaging();
            RuleFor(q => q.Search).MaximumLength(MaxFilterLength);
            RuleFor(q => q.Category).MaximumLength(MaxFilterLength);
            RuleFor(q => q.Sort)
                .Must(sort => sort is null || SortBy(sort) is not null).WithMessage("Sort must be 'name' or 'relevance'.")
                .Must((query, sort) => SortBy(sort) != ByRelevance || !string.IsNullOrWhiteSpace(query.Search))
                .WithMessage("Sorting by relevance needs a search.");
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

            if (string.IsNullOrWhiteSpace(request.Search))
            {
                return (await products.OrderBy(p => p.Name).ThenBy(p => p.Id).ToPageAsync(request, cancellationToken)).Map(ProductDto.From);
            }

            var terms = ProductSearchTerms.Parse(request.Search);
            if (terms.IsEmpty)
            {
                return new PagedResult<ProductDto>([], request.Page ?? 1, request.PageSize ?? Paging.DefaultPageSize, 0);
            }

            // Filtered, counted, ordered and paged on the index's matches alone; only the page's products are read.
            var byRelevance = SortBy(request.Sort) == ByRelevance;
            var matches = db.MatchProducts(terms, byRelevance);
            if (request.IncludeInactive != true)
            {
                matches = matches.Where(m => m.IsActive);
            }

            if (!string.IsNullOrWhiteSpace(request.Category))
            {
                matches = matches.Where(m => products.Any(p => p.Id == m.ProductId));
            }

            var ordered = byRelevance
                ? matches.OrderByDescending(m => m.Score).ThenBy(m => m.ProductId)
                : matches.OrderBy(m => m.Name).ThenBy(m => m.ProductId);
            var ids = await ordered.Select(m => m.ProductId).ToPageAsync(request, cancellationToken);
            var found = await db.Products.AsNoTracking().Where(p => ids.Items.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
            return new PagedResult<ProductDto>(
                [.. ids.Items.Where(found.ContainsKey).Select(id => ProductDto.From(found[id]))], ids.Page, ids.PageSize, ids.TotalCount);
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/products", async Task<Ok<PagedResult<ProductDto>>> ([AsParameters] Query query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .AllowAnonymous()
            .WithName("ListProducts")
            .WithSummary("List and search products")
            .WithDescription("Ordered by name, then id, so pages are stable, unless sort=relevance. Only active products unless includeInactive is true. Search uses a full-text index: each word matches the start of a word (\"ket\" finds \"Kettle\", \"ttle\" does not).")
            .ProducesValidationProblem();
}
