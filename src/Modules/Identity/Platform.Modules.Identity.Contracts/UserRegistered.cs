using Platform.Shared.Abstractions;

namespace Platform.Modules.Identity.Contracts;

/// <summary>A new account was created (by sign-up or the administrator seed).</summary>
[IntegrationEvent("identity.user-registered")]
public sealed record UserRegistered(Guid UserId, string Email, string DisplayName, IReadOnlyList<string> Roles) : IIntegrationEvent;
