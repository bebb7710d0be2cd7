using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Persistence;
using Platform.Modules.Notifications.Persistence;
using Platform.Shared.Messaging;

namespace Platform.MessagingTests;

/// <summary>Reads the modules' own tables the way an operator would, to check what messaging did.</summary>
internal static class MessagingProbe
{
    public static async Task<List<(string Kind, string Subject)>> NotificationsOfAsync(this PlatformFactory factory, Guid userId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return (await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).ToListAsync())
            .Select(n => (n.Kind, n.Subject)).ToList();
    }

    public static async Task<List<InboxMessage>> InboxOfNotificationsAsync(this PlatformFactory factory, Guid messageId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.Set<InboxMessage>().AsNoTracking().Where(m => m.MessageId == messageId).ToListAsync();
    }

    /// <summary>The outbox row delivering the user's registration to one subscribing module.</summary>
    public static async Task<OutboxMessage> UserRegisteredMessageAsync(this PlatformFactory factory, Guid userId, string destination = "Notifications")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var rows = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Type == "identity.user-registered" && m.Destination == destination).ToListAsync();
        return rows.Single(m => m.Payload.Contains(userId.ToString(), StringComparison.OrdinalIgnoreCase));
    }
}
