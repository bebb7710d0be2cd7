using System.Text.RegularExpressions;
using Platform.Shared.Errors;

namespace Platform.Modules.Catalog.Domain;

internal sealed partial class Product
{
    public const int SkuMaxLength = 64;
    public const int NameMaxLength = 200;
    public const int DescriptionMaxLength = 2000;
    public const int CategoryMaxLength = 100;

    private Product()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Stored upper case, so uniqueness is case-insensitive on every provider.</summary>
    public string Sku { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public string Category { get; private set; } = string.Empty;

    public Money Price { get; private set; } = null!;

    public bool IsActive { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Optimistic concurrency token: two concurrent updates cannot silently overwrite each other.</summary>
    public int Version { get; private set; }

    public static Product Create(string sku, string name, string? description, string category, Money price, DateTimeOffset now)
    {
        var normalizedSku = NormalizeSku(sku);
        if (!IsValidSku(normalizedSku))
        {
            throw new BusinessRuleException($"'{sku}' is not a valid SKU.");
        }

        var product = new Product
        {
            Id = Guid.CreateVersion7(now),
            Sku = normalizedSku,
            IsActive = true,
            CreatedAt = now,
        };
        product.Update(name, description, category, price, now);
        product.Version = 1;
        return product;
    }

    /// <summary>Returns true when the price changed, which other modules are told about.</summary>
    public bool Update(string name, string? description, string category, Money price, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(price);
        Name = Required(name, NameMaxLength, "name");
        Description = description?.Trim() ?? string.Empty;
        if (Description.Length > DescriptionMaxLength)
        {
            throw new BusinessRuleException($"A product's description must be at most {DescriptionMaxLength} characters.");
        }

        Category = Required(category, CategoryMaxLength, "category");
        var priceChanged = Price != price;
        Price = price;
        UpdatedAt = now;
        Version++;
        return priceChanged;
    }

    public void Deactivate(DateTimeOffset now)
    {
        if (!IsActive)
        {
            return;
        }

        IsActive = false;
        UpdatedAt = now;
        Version++;
    }

    public static string NormalizeSku(string sku) => sku.Trim().ToUpperInvariant();

    public static bool IsValidSku(string sku) => sku.Length <= SkuMaxLength && SkuPattern().IsMatch(sku);

    private static string Required(string value, int maxLength, string field)
    {
        var trimmed = value?.Trim() ?? string.Empty;
        return trimmed.Length is > 0 and var length && length <= maxLength
            ? trimmed
            : throw new BusinessRuleException($"A product's {field} must be 1 to {maxLength} characters.");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SkuPattern();
}
