using Platform.Modules.Catalog.Domain;

namespace Platform.Modules.Catalog.Features.Products;

internal sealed record MoneyDto(decimal Amount, string Currency);

internal sealed record ProductDto(
    Guid Id,
    string Sku,
    string Name,
    string Description,
    string Category,
    MoneyDto Price,
    bool IsActive,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public static ProductDto From(Product product) => new(
        product.Id,
        product.Sku,
        product.Name,
        product.Description,
        product.Category,
        new MoneyDto(product.Price.Amount, product.Price.Currency),
        product.IsActive,
        product.CreatedAt,
        product.UpdatedAt,
        product.Version);
}
