using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Platform.Shared.Api;

internal static class SwaggerSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddPlatformSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new OpenApiInfo
            {
                Title = "Platform API",
                Version = DocumentName,
                Description = "One API over every module. Errors are RFC 9457 problem details.",
            });
            options.CustomSchemaIds(SchemaId);
            options.AddSecurityDefinition(SwaggerSecurityFilter.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /api/identity/login.",
            });
            options.OperationFilter<SwaggerSecurityFilter>();
            options.SupportNonNullableReferenceTypes();
        });
        return services;
    }

    /// <summary>
    /// Use cases nest their records (CreateProduct.Command), so plain type names would collide
    /// across use cases and modules. Ids read like the code and stay within the characters OpenAPI allows
    /// for component names: CreateProduct.Command, PagedResultOfProductDto.
    /// </summary>
    internal static string SchemaId(Type type)
    {
        var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name;
        if (type.IsGenericType)
        {
            name += "Of" + string.Join("And", type.GetGenericArguments().Select(SchemaId));
        }

        return type.DeclaringType is { } outer ? SchemaId(outer) + "." + name : name;
    }
}
