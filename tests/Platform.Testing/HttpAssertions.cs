using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Platform.Testing;

public static class HttpAssertions
{
    /// <summary>Asserts an RFC 9457 problem with the given status and returns its JSON.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", body);
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrWhiteSpace();
        problem.TryGetProperty("traceId", out _).Should().BeTrue("every problem carries a trace id to quote");
        body.Should().NotContain("   at ", "no stack trace reaches a client");
        return problem;
    }

    /// <summary>Asserts a 400 whose field errors name exactly these fields.</summary>
    public static async Task ShouldHaveFieldErrorsAsync(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        errors.Should().BeEquivalentTo(fields);
    }

    public static async Task<T> ReadAsAsync<T>(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, body);
        return JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web)!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);
}
