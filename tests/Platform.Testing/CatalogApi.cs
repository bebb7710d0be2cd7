using System.Net;
using System.Net.Http.Json;

namespace Platform.Testing;

public sealed record Money(decimal Amount, string Currency);

public sealed record Product(
    Guid Id, string Sku, string Name, string Description, string Category, Money Price, bool IsActive, int Version);

public sealed record ProductPage(List<Product> Items, int Page, int PageSize, int TotalCount);

/// <summary>What a client of the Catalog API does, in one place.</summary>
public static class CatalogApi
{
    public const string Products = "/api/catalog/products";

    public static object NewProduct(string? sku = null, string name = "Widget", string category = "Tools", decimal amount = 9.99m, string currency = "EUR") =>
        new { sku = sku ?? "SKU-" + Guid.NewGuid().ToString("N")[..10], name, description = "A useful thing", category, price = new { amount, currency } };

    public static async Task<Product> CreateAsync(this HttpClient client, object? product = null)
    {
        var response = await client.PostAsJsonAsync(Products, product ?? NewProduct());
        return await response.ReadAsAsync<Product>(HttpStatusCode.Created);
    }

    public static Task<Product> CreateProductAsync(this HttpClient client) => client.CreateAsync();

    public static async Task<Product> UpdateProductAsync(this HttpClient client, Guid id, decimal amount)
    {
        var response = await client.PutAsJsonAsync($"{Products}/{id}", new { name = "Updated", category = "Tools", price = new { amount, currency = "EUR" } });
        return await response.ReadAsAsync<Product>(HttpStatusCode.OK);
    }
}
