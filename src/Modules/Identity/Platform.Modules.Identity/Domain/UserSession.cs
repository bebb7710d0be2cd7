namespace Platform.Modules.Identity.Domain;

/// <summary>
/// One sign-in and the chain of refresh tokens it rotates through (its family). Access tokens name it
/// (<c>sid</c>): signing out of it, or a stolen refresh token coming back, ends it for all of them.
/// </summary>
internal sealed class UserSession
{
    private UserSession()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public string? EndReason { get; private set; }

    public bool IsActive => EndedAt is null;

    public static UserSession Start(Guid userId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        CreatedAt = now,
    };
}

internal static class SessionEndReasons
{
    public const string SignedOut = "signed out";
    public const string SignedOutEverywhere = "signed out everywhere";
    public const string PasswordChanged = "password changed";
    public const string Locked = "account locked";
    public const string RefreshTokenReused = "a used refresh token came back";
}
