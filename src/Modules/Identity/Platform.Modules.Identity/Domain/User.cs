namespace Platform.Modules.Identity.Domain;

internal sealed class User
{
    public const int DisplayNameMaxLength = 100;

    private readonly List<UserRole> _roles = [];

    private User()
    {
    }

    public Guid Id { get; private set; }

    public string Email { get; private set; } = string.Empty;

    public string NormalizedEmail { get; private set; } = string.Empty;

    public string DisplayName { get; private set; } = string.Empty;

    /// <summary>Set by the application's password hasher; the domain never sees a password.</summary>
    public string PasswordHash { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// Changes whenever every session of the account must end (password change, lock, sign out
    /// everywhere): access tokens carry the stamp they were issued under and stop working when it differs.
    /// </summary>
    public string SecurityStamp { get; private set; } = NewStamp();

    /// <summary>A locked account cannot sign in or refresh, and its sessions are ended.</summary>
    public bool IsLocked { get; private set; }

    public IReadOnlyCollection<UserRole> Roles => _roles;

    public IEnumerable<string> RoleNames => _roles.Select(r => r.Name).Order(StringComparer.Ordinal);

    public static User Create(string email, string displayName, IEnumerable<string> roles, DateTimeOffset now)
    {
        var user = new User
        {
            Id = Guid.CreateVersion7(now),
            Email = email.Trim(),
            NormalizedEmail = EmailAddress.Normalize(email),
            DisplayName = displayName.Trim(),
            CreatedAt = now,
        };
        user.SetRoles(roles);
        return user;
    }

    public void SetPasswordHash(string passwordHash) => PasswordHash = passwordHash;

    /// <summary>Ends every session: tokens issued before no longer pass the per-request check.</summary>
    public void RotateSecurityStamp() => SecurityStamp = NewStamp();

    public void Lock()
    {
        IsLocked = true;
        RotateSecurityStamp();
    }

    public void Unlock() => IsLocked = false;

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    public bool IsInRole(string role) => _roles.Exists(r => r.Name == role);

    public void SetRoles(IEnumerable<string> roles)
    {
        var wanted = roles.Distinct(StringComparer.Ordinal).ToList();
        _roles.RemoveAll(r => !wanted.Contains(r.Name));
        foreach (var role in wanted.Where(role => !IsInRole(role)))
        {
            _roles.Add(new UserRole(role));
        }
    }
}

internal sealed record UserRole(string Name);
