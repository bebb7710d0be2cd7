namespace Platform.Modules.Identity.Features.Services;

/// <summary>
/// <c>Identity:Services</c>: the services (other processes) that may get service tokens, by name. Each holds
/// only the SHA-256 of the service's secret (so this configuration cannot be used to call anything) and the
/// modules whose internal endpoints it may call.
/// </summary>
internal sealed class ServiceClientsOptions : Dictionary<string, ServiceClient>
{
    public const string SectionName = "Identity:Services";

    public ServiceClientsOptions()
        : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}

internal sealed class ServiceClient
{
    /// <summary>Hex SHA-256 of the service's <c>Service:Secret</c> (<c>printf %s "$SECRET" | sha256sum</c>).</summary>
    public string SecretHash { get; set; } = string.Empty;

    /// <summary>The modules whose internal endpoints it may call.</summary>
    public List<string> Audiences { get; set; } = [];
}
