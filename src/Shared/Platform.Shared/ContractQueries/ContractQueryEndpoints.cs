using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Platform.Shared.Modules;
using Platform.Shared.Security;

namespace Platform.Shared.ContractQueries;

/// <summary>
/// <c>POST /internal/&lt;module&gt;/queries/{name}</c>: another process's module client asks a hosted module one of
/// its contract queries by wire name, with a service token for that module and nothing else. The owner's
/// refusals are problem details, like any endpoint's, which the caller turns back into the same exceptions.
/// </summary>
internal static class ContractQueryEndpoints
{
    public static void MapContractQueries(this IEndpointRouteBuilder app)
    {
        var queries = app.ServiceProvider.GetRequiredService<ContractQueryCatalog>();
        foreach (var module in app.ServiceProvider.GetRequiredService<ModuleRegistry>().Enabled.Where(m => queries.OwnedBy(m.Name).Any()))
        {
            var owner = module.Name;
            app.MapGroup(ServiceTokens.RoutePrefixOf(owner))
                .RequireAuthorization(ServiceTokens.PolicyOf(owner))
                .ExcludeFromDescription()
                .MapPost("/queries/{name}", (string name, HttpContext http, CancellationToken cancellationToken) =>
                    AnswerAsync(owner, name, http, cancellationToken));
        }
    }

    private static async Task<IResult> AnswerAsync(string owner, string name, HttpContext http, CancellationToken cancellationToken)
    {
        var contract = http.RequestServices.GetRequiredService<ContractQueryCatalog>().Find(name);
        if (contract is null || !string.Equals(contract.Owner, owner, StringComparison.OrdinalIgnoreCase))
        {
            // 501, not 404: the caller must not take "this version has no such query" for "no such resource".
            return TypedResults.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "Unknown contract query.",
                detail: $"{owner} answers no contract query named '{name}' in this version.");
        }

        object? query;
        try
        {
            query = await JsonSerializer.DeserializeAsync(http.Request.Body, contract.QueryType, RemoteQueries.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The query is not valid JSON for " + contract.Name + ".", StatusCodes.Status400BadRequest, e);
        }

        if (query is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request body is missing.",
                detail: $"Send the {contract.Name} query as a JSON object.");
        }

        // The handler's refusals go through the one exception handler, as any endpoint's do; the problem it
        // writes is marked with the query's name (RemoteQueries.AnsweredBy), so the caller never mistakes
        // another process's 404 for "no such resource".
        http.Items[RemoteQueries.AnsweredBy] = contract.Name;
        var answer = await http.RequestServices.GetRequiredService<LocalQueries>().DispatchAsync(http.RequestServices, contract, query, cancellationToken);
        return TypedResults.Json(answer, RemoteQueries.Json, statusCode: StatusCodes.Status200OK);
    }
}
