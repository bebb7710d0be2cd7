namespace Platform.Shared.Security;

/// <summary>The <c>Api</c> section.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body accepted; larger ones get 413 before any of it is read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The <c>Api:Swagger</c> section.</summary>
    public SwaggerOptions Swagger { get; set; } = new();

    /// <summary>How long browsers must use HTTPS only (outside Development). At least 180 days is recommended.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public bool HstsIncludeSubDomains { get; set; } = true;

    /// <summary>
    /// Outside Development the host refuses <c>AllowedHosts</c> of <c>*</c> (any Host header is echoed
    /// into redirects) unless this is set on purpose, e.g. behind a gateway that checks hosts itself.
    /// </summary>
    public bool AllowAnyHost { get; set; }
}

/// <summary>The <c>Api:Swagger</c> section.</summary>
public sealed class SwaggerOptions
{
    /// <summary>Swagger UI and the OpenAPI document on the public routes. Null: on in Development only.</summary>
    public bool? Enabled { get; set; }
}
