using Microsoft.Extensions.Configuration;

namespace Platform.Shared.Modules;

/// <summary>
/// Where modules hosted by other processes are reached: <c>Modules:&lt;Name&gt;:Url</c>. Every process of a
/// deployment can be given the same addresses; a process ignores the address of a module it hosts.
/// </summary>
public static class ModuleAddresses
{
    public static string UrlKey(string moduleName) => ModuleNaming.ConfigurationSection(moduleName) + ":Url";

    /// <summary>The configured addresses of <paramref name="moduleNames"/>, each checked; modules without one are left out.</summary>
    public static IReadOnlyDictionary<string, Uri> Read(IConfiguration configuration, IEnumerable<string> moduleNames, bool development)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var addresses = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        foreach (var module in moduleNames)
        {
            if (Parse(configuration[UrlKey(module)], module, development) is { } url)
            {
                addresses[module] = url;
            }
        }

        return addresses;
    }

    /// <summary>
    /// An absolute http(s) base address ending in '/', or null when <paramref name="value"/> is empty. Plain
    /// http is refused outside Development unless it stays on this machine: bearer tokens travel on it.
    /// </summary>
    public static Uri? Parse(string? value, string module, bool development)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            throw new InvalidOperationException($"{UrlKey(module)} is '{value}': give the http(s) base address of the process that hosts {module}, e.g. https://ordering.internal:8443/.");
        }

        if (url.Scheme != Uri.UriSchemeHttps && !url.IsLoopback && !development)
        {
            throw new InvalidOperationException($"{UrlKey(module)} must be https:// outside Development, unless it is on this machine: tokens travel on it.");
        }

        return url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}
