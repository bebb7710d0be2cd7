using Platform.Modules.Identity.Contracts;
using Platform.Modules.Identity.Domain;

namespace Platform.Modules.Identity.Features.Accounts;

internal sealed record UserDto(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt)
{
    public static UserDto From(User user) => new(user.Id, user.Email, user.DisplayName, user.RoleNames.ToList(), user.CreatedAt);
}

internal static class UserEvents
{
    public static UserRegistered ToRegisteredEvent(this User user) => new(user.Id, user.Email, user.DisplayName, user.RoleNames.ToList());
}
