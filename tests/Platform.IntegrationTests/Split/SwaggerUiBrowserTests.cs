using Microsoft.Playwright;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issue 15: Swagger UI at the gateway, in a real headless Chromium (Debian's package), lists every module and
/// calls an operation of a module another process hosts with the token a user typed into "Authorize".
/// </summary>
[Collection(SplitFixture.Collection)]
public sealed class SwaggerUiBrowserTests(SplitFixture fixture)
{
    [Fact]
    public async Task Swagger_ui_at_the_gateway_lists_every_module_and_calls_a_remote_module_with_a_token()
    {
        var split = fixture.Split;
        var token = await split.TokenAsync(PlatformFactory.AdminEmail, PlatformFactory.AdminPassword);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Args = ["--no-sandbox"],
            Headless = true,
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(15_000);

        await page.GotoAsync(new Uri(split.GatewayUrl, "swagger/index.html").ToString());
        await page.Locator("h3.opblock-tag").First.WaitForAsync();
        var tags = await page.Locator("h3.opblock-tag").EvaluateAllAsync<string[]>("tags => tags.map(t => t.getAttribute('data-tag'))");
        tags.Should().BeEquivalentTo(["Catalog", "Identity", "Inventory", "Notifications", "Ordering", "Payments"]);

        await page.Locator("button.authorize").First.ClickAsync();
        await page.Locator(".modal-ux input").First.FillAsync(token);
        await page.Locator(".modal-ux button.authorize").ClickAsync();
        await page.Locator(".modal-ux button.btn-done").ClickAsync();

        var operation = page.Locator(".opblock-get").Filter(new LocatorFilterOptions { Has = page.Locator(".opblock-summary-path[data-path='/api/ordering/orders']") });
        await operation.Locator(".opblock-summary").ClickAsync();
        await operation.Locator("button.try-out__btn").ClickAsync();
        await operation.Locator("button.execute").ClickAsync();
        var status = operation.Locator(".live-responses-table tbody .response-col_status").First;
        await status.WaitForAsync();

        (await status.InnerTextAsync()).Trim().Should().Be("200", "Ordering, in the other process, answered the call the browser made through the gateway");
        (await operation.Locator(".live-responses-table tbody .response-col_description").First.InnerTextAsync()).Should().Contain("\"items\"");
    }
}
