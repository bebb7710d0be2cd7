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
