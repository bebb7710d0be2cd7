using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.IntegrationTests.Inventory;
using Platform.Modules.Inventory.Persistence;
using Platform.Modules.Ordering.Persistence;
using Platform.Modules.Payments.Persistence;
using Platform.Shared.Abstractions;
using Platform.Shared.Messaging;
using Platform.Testing;

namespace Platform.IntegrationTests.Ordering;

internal sealed record OrderLine(int LineNumber, Guid ProductId, string Sku, string Name, decimal UnitPrice, int Quantity, decimal LineTotal);

internal sealed record StatusChange(string Status, string? Reason, DateTimeOffset At);

internal sealed record Order(
    Guid Id, Guid CustomerId, string Status, string? CancellationReason, List<OrderLine> Lines, decimal Total, string Currency,
    DateTimeOffset PlacedAt, DateTimeOffset UpdatedAt, List<StatusChange> History)
{
    public bool IsFinal => Status is "Confirmed" or "Cancelled";
}

internal sealed record OrderPage(List<Order> Items, int Page, int PageSize, int TotalCount);

internal sealed record PaymentTransaction(string Kind, string Outcome, decimal Amount, string Currency, string GatewayReference, DateTimeOffset At);

internal sealed record Payment(
    Guid Id, Guid OrderId, Guid CustomerId, decimal Amount, string Currency, string Status, bool OrderCancelled, string? DeclineReason,
    List<PaymentTransaction> Transactions);

internal sealed record PaymentPage(List<Payment> Items, int Page, int PageSize, int TotalCount);

internal sealed record Notification(long Id, string Kind, string Subject, string Body);

internal sealed record NotificationPage(List<Notification> Items, int TotalCount);

/// <summary>
/// A platform set up for the order flow: cheap password hashing (tests register many customers), charges
/// above <see cref="DeclineAbove"/> declined, and quick retries.
/// </summary>
public sealed class CommerceFactory : PlatformFactory
{
    public const decimal DeclineAbove = 1_000m;

    public CommerceFactory()
    {
        Commerce(this);
    }

    public static PlatformFactory Commerce(PlatformFactory factory) => factory
        .With("Identity:PasswordHashIterations", "1000")
        .With("Payments:Simulator:DeclineAbove", DeclineAbove.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .With("Messaging:RetryBaseDelay", "00:00:00.050")
        .With("Messaging:RetryMaxDelay", "00:00:00.500");
}

internal static class OrderingApi
{
    public const string Orders = "/api/ordering/orders";

    public static object Line(Guid productId, int quantity) => new { productId, quantity };

    public static Task<HttpResponseMessage> PlaceAsync(this HttpClient customer, string? idempotencyKey, params object[] lines)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Orders) { Content = JsonContent.Create(new { lines }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return customer.SendAsync(request);
    }

    public static async Task<Order> PlaceOrderAsync(this HttpClient customer, params object[] lines) =>
        await (await customer.PlaceAsync(null, lines)).ReadAsAsync<Order>(HttpStatusCode.Accepted);

    public static async Task<Order> OrderAsync(this HttpClient client, Guid id) =>
        await (await client.GetAsync($"{Orders}/{id}")).ReadAsAsync<Order>(HttpStatusCode.OK);

    public static Task<Order> FinalAsync(this HttpClient client, Guid id, TimeSpan? within = null) =>
        Eventually.MatchAsync(() => client.OrderAsync(id), o => o.IsFinal, within ?? TimeSpan.FromSeconds(20), $"order {id} reaches a final state");

    public static Task<Order> StatusAsync(this HttpClient client, Guid id, string status) =>
        Eventually.MatchAsync(() => client.OrderAsync(id), o => o.Status == status, TimeSpan.FromSeconds(20), $"order {id} becomes {status}");

    public static Task<HttpResponseMessage> CancelAsync(this HttpClient client, Guid id) =>
        client.PostAsync($"{Orders}/{id}/cancel", null);

    public static async Task<Payment?> PaymentOfAsync(this HttpClient client, Guid orderId)
    {
        var response = await client.GetAsync($"/api/payments/payments?orderId={orderId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await response.ReadAsAsync<PaymentPage>(HttpStatusCode.OK)).Items.Single();
    }

    public static Task<Payment> PaymentAsync(this HttpClient client, Guid orderId, string status) =>
        Eventually.MatchAsync(async () => await client.PaymentOfAsync(orderId), p => p?.Status == status, TimeSpan.FromSeconds(20),
            $"the payment of order {orderId} becomes {status}")!;

    public static async Task<List<Notification>> NotificationsAsync(this HttpClient client) =>
        (await (await client.GetAsync("/api/notifications?pageSize=100")).ReadAsAsync<NotificationPage>(HttpStatusCode.OK)).Items;

    public static Task<Stock?> StockEventuallyAsync(this HttpClient admin, Guid productId, Stock expected) =>
        Eventually.MatchAsync(() => admin.StockAsync(productId), s => s == expected, TimeSpan.FromSeconds(20), $"stock becomes {expected}");

    /// <summary>A product at the given price with stock on hand.</summary>
    public static async Task<Guid> ProductAsync(this HttpClient admin, decimal price, int onHand, string currency = "EUR")
    {
        var product = await admin.CreateAsync(CatalogApi.NewProduct(amount: price, currency: currency));
        (await admin.SetStockAsync(product.Id, onHand)).EnsureSuccessStatusCode();
        return product.Id;
    }

    /// <summary>
    /// What the payment simulator's ledger holds for an order, counted by order (not by key, which is the
    /// ledger's primary key): successful charges, refunds of them, voided charge keys.
    /// </summary>
    public static async Task<(int Charged, int Refunded, int Voided)> LedgerOfAsync(string dataDirectory, Guid orderId)
    {
        var ledger = Path.Combine(dataDirectory, "payment-simulator.db");
        if (!File.Exists(ledger))
        {
            return (0, 0, 0); // the gateway was never reached
        }

        await using var connection = new SqliteConnection($"Data Source={ledger};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT (SELECT COUNT(*) FROM Charges WHERE OrderId = $order AND Outcome = 'Succeeded'), " +
            "(SELECT COUNT(*) FROM Refunds r JOIN Charges c ON c.IdempotencyKey = r.ChargeKey WHERE c.OrderId = $order), " +
            "(SELECT COUNT(*) FROM Charges WHERE OrderId = $order AND Outcome = 'Voided')";
        command.Parameters.AddWithValue("$order", orderId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    /// <summary>How many outbox rows each saga module holds: equal before and after means nothing was published.</summary>
    public static async Task<(int Ordering, int Inventory, int Payments)> OutboxRowsAsync(this PlatformFactory factory) =>
        (await factory.InScopeAsync<OrderingDbContext, int>(db => db.Set<OutboxMessage>().CountAsync()),
            await factory.InScopeAsync<InventoryDbContext, int>(db => db.Set<OutboxMessage>().CountAsync()),
            await factory.InScopeAsync<PaymentsDbContext, int>(db => db.Set<OutboxMessage>().CountAsync()));

    /// <summary>Waits until every event Payments published has been handled by all its subscribers (the "delivered" mark follows their commits).</summary>
    public static Task PaymentsOutboxDeliveredAsync(this PlatformFactory factory) =>
        Eventually.MatchAsync(
            () => factory.InScopeAsync<PaymentsDbContext, int>(db => db.Set<OutboxMessage>().CountAsync(m => m.ProcessedAt == null && m.DeadLetteredAt == null)),
            waiting => waiting == 0, TimeSpan.FromSeconds(20), "every event Payments published is handled");

    /// <summary>
    /// Delivers <paramref name="integrationEvent"/> to <paramref name="module"/> as a new message (a duplicate, late or
    /// reordered event) and asserts every handler took it without failing: "changes nothing" must not mean "threw".
    /// </summary>
    public static async Task DeliverAsync<TEvent>(this PlatformFactory factory, string module, TEvent integrationEvent)
        where TEvent : IIntegrationEvent
    {
        var name = typeof(TEvent).GetCustomAttribute<IntegrationEventAttribute>()!.Name;
        var envelope = new MessageEnvelope(Guid.NewGuid(), name, DateTimeOffset.UtcNow, "Test",
            JsonSerializer.Serialize(integrationEvent, MessageSerializer.Options), null, null);
        var result = await factory.Services.GetRequiredService<InboxProcessor>().DeliverAsync(module, envelope, CancellationToken.None);
        result.Outcome.Should().Be(DeliveryOutcome.Handled, $"{module} handles {name} without failing");
    }
}
