namespace Platform.Shared.Modules;

/// <summary>Tags on health checks: <c>ready</c> checks decide whether the process should get traffic.</summary>
public static class HealthTags
{
    public const string Ready = "ready";
}
