using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using Platform.Shared.Security;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Platform.Shared.Api;

/// <summary>
/// Marks every operation that needs a token (all but the deliberately anonymous ones) with the bearer
/// scheme and its 401, and Admin-only operations with 403 as well, so Swagger UI's Authorize works.
/// </summary>
internal sealed class SwaggerSecurityFilter : IOperationFilter
{
    public const string SchemeName = "Bearer";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            // An empty requirement says "no credentials needed" explicitly, so clients and linters need not guess.
            operation.Security = [new OpenApiSecurityRequirement()];
            return;
        }

        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [],
        });
        operation.Responses ??= [];
        operation.Responses.TryAdd(StatusCodes.Status401Unauthorized.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new OpenApiResponse { Description = "Unauthorized: no valid access token." });

        var restricted = metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null || a.Roles is not null);
        if (restricted)
        {
            operation.Responses.TryAdd(StatusCodes.Status403Forbidden.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new OpenApiResponse { Description = $"Forbidden: the caller lacks the required role (e.g. {PlatformRoles.Admin})." });
        }
    }
}
