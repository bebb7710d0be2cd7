using System.Net;
using Platform.IntegrationTests.Inventory;
using Platform.IntegrationTests.Ordering;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issue 16: docs/extracting-a-module.md, followed step by step on SQLite: a platform runs as one process and
/// takes orders; Ordering is moved into a process of its own (its file moved, the settings the guide names);
/// every order is still there, and new ones complete through the same address.
/// </summary>
public sealed class ExtractionGuideTests
{
    private const string OrdersSecret = "orders-secret-0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Ordering_moved_into_its_own_process_keeps_its_orders_and_new_orders_complete()
    {
        using var folder = new TempDataFolder();
        var monolithData = Path.Combine(folder.Path, "platform");
        var orderingData = Path.Combine(folder.Path, "ordering");
        Directory.CreateDirectory(monolithData);
        Directory.CreateDirectory(orderingData);
        var monolithPort = HostProcess.FreePort();
        var settings = new Dictionary<string, string>(OrderSagaScenario.CommerceSettings);

        // Before: one process, events in process.
        Guid product;
        string email = IdentityApi.NewEmail();
        List<Guid> before;
        await using (var monolith = await HostProcess.StartAsync(HostProcess.PlatformHost, monolithData, settings, monolithPort))
        {
            using var admin = await SignInAsync(monolith.BaseAddress, PlatformFactory.AdminEmail, PlatformFactory.AdminPassword);
            product = await admin.ProductAsync(price: 7m, onHand: 50);
            using (var anonymous = new HttpClient { BaseAddress = monolith.BaseAddress })
            {
                (await anonymous.RegisterAsync(email)).EnsureSuccessStatusCode();
            }

            using var customer = await SignInAsync(monolith.BaseAddress, email, PlatformFactory.CustomerPassword);
            before = [];
            for (var i = 0; i < 3; i++)
            {
                var placed = await customer.PlaceOrderAsync(OrderingApi.Line(product, 1));
                (await customer.FinalAsync(placed.Id)).Status.Should().Be("Confirmed");
                before.Add(placed.Id);
            }

            // Step 1 of the guide: stop the process (gracefully: its work is finished or stays in its outbox).
            await monolith.StopAsync();
        }

        // Step 2: move the module's file, with its write-ahead log if there is one, to the new process's data folder.
        foreach (var file in Directory.EnumerateFiles(monolithData, "ordering.db*"))
        {
            File.Move(file, Path.Combine(orderingData, Path.GetFileName(file)));
        }

        // Steps 3–4: the settings the guide gives both processes; a broker carries the events between them.
        var broker = new TestBroker();
        try
        {
            var orderingPort = HostProcess.FreePort();
            var common = new Dictionary<string, string>(settings);
            foreach (var (key, value) in broker.Settings)
            {
                common[key] = value;
            }

            foreach (var module in new[] { "Identity", "Catalog", "Inventory", "Payments", "Notifications" })
            {
                common[$"Modules:{module}:Url"] = $"http://127.0.0.1:{monolithPort}/";
            }

            common["Modules:Ordering:Url"] = $"http://127.0.0.1:{orderingPort}/";
            common["Identity:Services:orders:SecretHash"] = GatewayClient.Hash(OrdersSecret);
            common["Identity:Services:orders:Audiences:0"] = "Identity";
            common["Identity:Services:orders:Audiences:1"] = "Catalog";

            var rest = new Dictionary<string, string>(common) { ["Modules:Ordering:Enabled"] = "false" };
            var ordering = new Dictionary<string, string>(common) { ["Service:Name"] = "orders", ["Service:Secret"] = OrdersSecret };
            foreach (var module in new[] { "Identity", "Catalog", "Inventory", "Payments", "Notifications" })
            {
                ordering[$"Modules:{module}:Enabled"] = "false";
            }

            await using var platform = await HostProcess.StartAsync(HostProcess.PlatformHost, monolithData, rest, monolithPort);
            await using var orders = await HostProcess.StartAsync(HostProcess.PlatformHost, orderingData, ordering, orderingPort);

            // After: the same address, the same orders, and new ones complete across the two processes.
            using var customer = await SignInAsync(platform.BaseAddress, email, PlatformFactory.CustomerPassword);
            var listed = await (await customer.GetAsync($"{OrderingApi.Orders}?pageSize=100")).ReadAsAsync<OrderPage>(HttpStatusCode.OK);
            listed.Items.Select(o => o.Id).Should().BeEquivalentTo(before);
            listed.Items.Should().OnlyContain(o => o.Status == "Confirmed");

            var after = await customer.PlaceOrderAsync(OrderingApi.Line(product, 2));
            (await customer.FinalAsync(after.Id)).Status.Should().Be("Confirmed");
            (await customer.PaymentAsync(after.Id, "Succeeded")).Amount.Should().Be(14m);
            using var admin = await SignInAsync(platform.BaseAddress, PlatformFactory.AdminEmail, PlatformFactory.AdminPassword);
            await admin.StockEventuallyAsync(product, new Stock(product, 45, 0, 45));
            File.Exists(Path.Combine(monolithData, "ordering.db")).Should().BeFalse("the file moved: one owner of Ordering's data");
        }
        finally
        {
            await broker.DeleteAsync(TestBroker.SubscribingModules);
        }
    }

    private static Task<HttpClient> SignInAsync(Uri address, string email, string password) => new GatewayClient(address).SignedInAsync(email, password);
}
