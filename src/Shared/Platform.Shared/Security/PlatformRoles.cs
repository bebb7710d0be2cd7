namespace Platform.Shared.Security;

/// <summary>The roles every module may check. Identity assigns them; tokens carry them.</summary>
public static class PlatformRoles
{
    public const string Admin = "Admin";
    public const string Customer = "Customer";

    public static IReadOnlyList<string> All { get; } = [Admin, Customer];

    /// <summary>The role name as spelled here, or null for an unknown role.</summary>
    public static string? Canonical(string? role) =>
        All.FirstOrDefault(known => string.Equals(known, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Authorization policies by name, for <c>RequireAuthorization(PlatformPolicies.Admin)</c>.</summary>
public static class PlatformPolicies
{
    public const string Admin = "Admin";

    /// <summary>Customers' own actions, such as placing an order.</summary>
    public const string Customer = "Customer";
}

/// <summary>Rate-limiting policies by name, for <c>RequireRateLimiting(...)</c>.</summary>
public static class PlatformRateLimits
{
    /// <summary>Endpoints that take credentials (sign-up, sign-in, refresh): limited per client IP.</summary>
    public const string Credentials = "credentials";

    /// <summary>The service-token endpoint: limited per client IP like sign-in, in a bucket of its own.</summary>
    public const string ServiceCredentials = "service-credentials";
}
