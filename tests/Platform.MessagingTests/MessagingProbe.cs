using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Persistence;
using Platform.Modules.Notifications.Persistence;
using Platform.Modules.Probe.Persistence;
using Platform.Shared.Messaging;
using Platform.Shared.Persistence;

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

    /// <summary>The outbox row delivering the user's registration to one subscribing module (over a broker, the one row for every subscriber).</summary>
    public static async Task<OutboxMessage> UserRegisteredMessageAsync(this PlatformFactory factory, Guid userId, string destination = "Notifications")
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var rows = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Type == "identity.user-registered" && (m.Destination == destination || m.Destination == OutboxMessage.AllSubscribers)).ToListAsync();
        return rows.Single(m => m.Payload.Contains(userId.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    public static async Task<User> RegisterUserAsync(this PlatformFactory factory, string? displayName = null) =>
        await (await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail(), displayName: displayName ?? "Someone")).ReadAsAsync<User>(HttpStatusCode.Created);

    /// <summary>Publishes pings through the Probe module's endpoint; returns the ping ids.</summary>
    public static async Task<List<Guid>> PingAsync(this HttpClient client, int count = 1, string behaviour = "normal")
    {
        var response = await client.PostAsJsonAsync("/api/probe/pings", new { count, behaviour });
        return (await response.ReadAsAsync<PingResult>(HttpStatusCode.OK)).PingIds.ToList();
    }

    /// <summary>The outbox rows of the given pings (one each: the Probe module is their only subscriber).</summary>
    public static async Task<List<OutboxMessage>> PingRowsAsync(this PlatformFactory factory, IEnumerable<Guid> pingIds)
    {
        var ids = pingIds.Select(id => id.ToString()).ToList();
        await using var scope = factory.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<ProbeDbContext>().Set<OutboxMessage>().AsNoTracking().ToListAsync();
        return rows.Where(r => ids.Any(id => r.Payload.Contains(id, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    public static async Task<List<ProbeEffect>> ProbeEffectsAsync(this PlatformFactory factory, Guid messageId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ProbeDbContext>().Effects.AsNoTracking().Where(e => e.MessageId == messageId).ToListAsync();
    }

    /// <summary>How many times a probe handler started on the message: a side effect outside any transaction.</summary>
    public static int ProbeStarts(string dataDirectory, Guid messageId)
    {
        var log = Path.Combine(dataDirectory, "probe-starts.log");
        return File.Exists(log) ? File.ReadLines(log).Count(line => line.StartsWith(messageId.ToString(), StringComparison.Ordinal)) : 0;
    }

    public static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private sealed record PingResult(List<Guid> PingIds);
}
