using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Inventory.Features.Reservations;
using Platform.Testing;

namespace Platform.IntegrationTests.Inventory;

internal sealed record Stock(Guid ProductId, int OnHand, int Reserved, int Available);

internal static class InventoryApi
{
    public static string StockOf(Guid productId) => $"/api/inventory/stock/{productId}";

    public static Task<HttpResponseMessage> SetStockAsync(this HttpClient client, Guid productId, int onHand) =>
        client.PutAsJsonAsync(StockOf(productId), new { onHand });

    public static async Task<Stock?> StockAsync(this HttpClient client, Guid productId)
    {
        var response = await client.GetAsync(StockOf(productId));
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<Stock>() : null;
    }

    /// <summary>A product with the given stock on hand, its item created by ProductCreated or by the PUT.</summary>
    public static async Task<Guid> ProductWithStockAsync(this HttpClient admin, int onHand)
    {
        var product = await admin.CreateAsync();
        (await admin.SetStockAsync(product.Id, onHand)).EnsureSuccessStatusCode();
        return product.Id;
    }

    public static Task<T> ReservationsAsync<T>(this PlatformFactory factory, Func<StockReservations, Task<T>> work) =>
        factory.InScopeAsync(work);
}
