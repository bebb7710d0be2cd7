using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Platform.Modules.Catalog.Contracts;
using Platform.Shared.ContractQueries;
using Platform.Shared.Errors;
using Platform.Testing;

namespace Platform.IntegrationTests.Split;

/// <summary>
/// Issue 15: a contract query to an owner in another process that is slow, down, failing or answering oddly.
/// The owner here is a stand-in process whose answers each test decides; the asker is the real host.
/// </summary>
public sealed class RemoteQueryFaultTests : IAsyncLifetime
{
    private FakeProcess _owner = null!;
    private PlatformFactory _asker = null!;

    public async Task InitializeAsync()
    {
        _owner = await FakeProcess.StartAsync();
        _asker = StandIns.IdentityOnly(_owner.Url)
            .With("ContractQueries:AttemptTimeout", "00:00:01.500")
            .With("ContractQueries:TotalTimeout", "00:00:05")
            .With("ContractQueries:MaxRetries", "2")
            .With("ContractQueries:MinimumThroughput", "6")
            .With("ContractQueries:BreakDuration", "00:00:30");
        _asker.CreateClient();
        // Warm: the first call also mints a token and opens a connection, which must not count against an attempt's timeout.
        await AskAsync(Guid.NewGuid());
        _owner.Requests.Clear();
    }

    public async Task DisposeAsync()
    {
        _asker.Dispose();
        await _owner.DisposeAsync();
    }

    private Task<IReadOnlyList<ProductSnapshot>> AskAsync(params Guid[] ids) =>
        _asker.Services.GetRequiredService<IModuleClient>().SendAsync(new GetProductSnapshots(ids), CancellationToken.None);

    [Fact]
    public async Task The_query_goes_to_the_owners_internal_endpoint_with_a_service_token_for_it_and_the_trace_context()
    {
        var id = Guid.NewGuid();
        _owner.Answer = context => context.Response.WriteAsJsonAsync(new[] { new ProductSnapshot(id, "SKU-1", "Lamp", 3.5m, "EUR", true) });
        using var activity = new Activity("test-caller").SetIdFormat(ActivityIdFormat.W3C).Start();

        var answer = await AskAsync(id);

        answer.Should().Equal(new ProductSnapshot(id, "SKU-1", "Lamp", 3.5m, "EUR", true));
        var request = _owner.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/internal/catalog/queries/catalog.product-snapshots");
        JsonDocument.Parse(request.Body).RootElement.GetProperty("productIds")[0].GetGuid().Should().Be(id);
        request.Headers["traceparent"].Should().Contain(activity.TraceId.ToHexString(), "the owner's spans join the caller's trace");
        var token = new JsonWebToken(request.Headers["Authorization"]["Bearer ".Length..]);
        token.Audiences.Should().Equal("platform-internal:catalog");
        token.GetClaim("token_use").Value.Should().Be("service");
    }

    [Fact]
    public async Task A_slow_owner_is_given_up_on_within_the_total_timeout_and_the_caller_hears_it_is_unavailable()
    {
        _owner.Answer = async context => await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
        var clock = Stopwatch.StartNew();

        var ask = () => AskAsync(Guid.NewGuid());

        (await ask.Should().ThrowAsync<ModuleUnavailableException>()).Which.Module.Should().Be("Catalog");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(12), "three attempts of 1.5 s, within the 5 s total");
        _owner.Requests.Should().HaveCount(3, "a timed-out read is retried twice");
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_the_answer_still_arrives()
    {
        var calls = 0;
        _owner.Answer = context => Interlocked.Increment(ref calls) == 1
            ? Results.Problem(statusCode: 503, title: "Busy.").ExecuteAsync(context)
            : context.Response.WriteAsJsonAsync(Array.Empty<ProductSnapshot>());

        (await AskAsync(Guid.NewGuid())).Should().BeEmpty();
        _owner.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task An_owner_that_keeps_failing_is_left_alone_once_its_circuit_opens_and_callers_hear_at_once()
    {
        _owner.Answer = context => Results.Problem(statusCode: 500, title: "Broken.").ExecuteAsync(context);
        for (var i = 0; i < 3; i++)
        {
            await FluentActions.Awaiting(() => AskAsync(Guid.NewGuid())).Should().ThrowAsync<ModuleUnavailableException>();
        }

        var reached = _owner.Requests.Count;
        var clock = Stopwatch.StartNew();
        var broken = await FluentActions.Awaiting(() => AskAsync(Guid.NewGuid())).Should().ThrowAsync<ModuleUnavailableException>();

        broken.Which.Reason.Should().Contain("left alone");
        _owner.Requests.Count.Should().Be(reached, "an open circuit sends nothing");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_down_owner_is_reported_unavailable()
    {
        await _owner.StopAsync();

        var ask = () => AskAsync(Guid.NewGuid());

        (await ask.Should().ThrowAsync<ModuleUnavailableException>()).Which.Reason.Should().Contain("could not be reached");
    }

    [Theory]
    [InlineData(500, "text/html", "<html><body>Internal Server Error</body></html>")]
    [InlineData(200, "text/html", "<html><body>Welcome to nginx</body></html>")]
    [InlineData(502, "text/plain", "")]
    public async Task An_answer_that_is_neither_the_result_nor_a_problem_document_is_reported_unavailable(int status, string contentType, string body)
    {
        _owner.Answer = async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        };

        var ask = () => AskAsync(Guid.NewGuid());

        await ask.Should().ThrowAsync<ModuleUnavailableException>();
    }

    private static readonly Dictionary<string, object?> FromTheHandler = new() { ["contractQuery"] = "catalog.product-snapshots" };

    [Fact]
    public async Task The_owners_problem_documents_come_back_as_the_exceptions_its_handler_threw()
    {
        _owner.Answer = context => Results.ValidationProblem(new Dictionary<string, string[]> { ["productIds"] = ["Too many."] },
            detail: "At most 500 products.", statusCode: 422, extensions: FromTheHandler).ExecuteAsync(context);
        var rule = await FluentActions.Awaiting(() => AskAsync(Guid.NewGuid())).Should().ThrowAsync<BusinessRuleException>();
        rule.Which.Message.Should().Be("At most 500 products.");
        rule.Which.Errors.Should().ContainKey("productIds");

        _owner.Answer = context => Results.Problem(statusCode: 404, detail: "Product 'x' was not found.", extensions: FromTheHandler).ExecuteAsync(context);
        (await FluentActions.Awaiting(() => AskAsync(Guid.NewGuid())).Should().ThrowAsync<NotFoundException>()).Which.Message.Should().Be("Product 'x' was not found.");

        _owner.Answer = context => Results.Problem(statusCode: 409, detail: "Changed meanwhile.", extensions: FromTheHandler).ExecuteAsync(context);
        (await FluentActions.Awaiting(() => AskAsync(Guid.NewGuid())).Should().ThrowAsync<ConflictException>()).Which.Message.Should().Be("Changed meanwhile.");

        _owner.Answer = context => Results.Problem(statusCode: 403, title: "Forbidden").ExecuteAsync(context);
        (await FluentActions.Awaiting(() => AskAsync(Guid.NewGuid())).Should().ThrowAsync<ModuleUnavailableException>()).Which.Reason.Should().Contain("service credential");
    }

    [Fact]
    public async Task A_404_that_is_not_the_handlers_own_refusal_means_the_address_is_wrong_never_that_the_resource_is_missing()
    {
        // What a process of ours that does not host Catalog answers: an unknown route.
        _owner.Answer = context => Results.Problem(statusCode: 404, title: "Not Found").ExecuteAsync(context);

        var ask = () => AskAsync(Guid.NewGuid());

        (await ask.Should().ThrowAsync<ModuleUnavailableException>()).Which.Reason.Should().Contain("Modules:Catalog:Url");
    }

    [Fact]
    public async Task A_query_the_owners_version_does_not_know_is_not_retried_and_does_not_count_against_the_owner()
    {
        _owner.Answer = context => Results.Problem(statusCode: 501, title: "Unknown contract query.").ExecuteAsync(context);
        for (var i = 0; i < 8; i++)
        {
            await FluentActions.Awaiting(() => AskAsync(Guid.NewGuid())).Should().ThrowAsync<ModuleUnavailableException>();
        }

        _owner.Requests.Should().HaveCount(8, "one attempt each, and no circuit opened");
    }
}
