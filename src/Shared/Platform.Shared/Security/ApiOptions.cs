namespace Platform.Shared.Security;

/// <summary>The <c>Api</c> section.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body accepted; larger ones get 413 before any of it is read.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
