using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Persistence;

namespace Platform.Modules.Identity.Features.Tokens;

/// <summary>What the per-request check needs to know of an account.</summary>
internal sealed record AccountState(bool Exists, string SecurityStamp, bool IsLocked, IReadOnlyList<string> Roles, IReadOnlySet<Guid> ActiveSessions);

/// <summary>
/// The account state behind every request's token check, cached so a request costs no query. Every
/// change made in this process (roles, password, lock, sign-out) forgets the account's entry at once;
/// changes made by another instance on the same database are seen within <see cref="MaxAge"/>.
/// </summary>
internal sealed class AccountStateCache(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, (AccountState State, DateTimeOffset LoadedAt)> _entries = new();

    // Bumped by every invalidation: a load that started before one must not put its stale state back.
    private readonly ConcurrentDictionary<Guid, long> _generations = new();

    public async ValueTask<AccountState> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(userId, out var entry) && now - entry.LoadedAt < MaxAge)
        {
            return entry.State;
        }

        return await LoadAndStoreAsync(userId, now, cancellationToken);
    }

    /// <summary>Loads the account again, unless it was loaded within the last second (a revoked token replayed in a loop costs one query a second).</summary>
    public async ValueTask<AccountState> ReloadAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(userId, out var entry) && clock.GetUtcNow() - entry.LoadedAt < TimeSpan.FromSeconds(1))
        {
            return entry.State;
        }

        return await LoadAndStoreAsync(userId, clock.GetUtcNow(), cancellationToken);
    }

    public void Invalidate(Guid userId)
    {
        _generations.AddOrUpdate(userId, 1, (_, generation) => generation + 1);
        _entries.TryRemove(userId, out _);
    }

    private async Task<AccountState> LoadAndStoreAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var generation = _generations.GetValueOrDefault(userId);
        var state = await LoadAsync(userId, cancellationToken);
        _entries[userId] = (state, now);
        if (_generations.GetValueOrDefault(userId) != generation)
        {
            // Invalidated while loading: what was read may predate the change, so it is not kept.
            _entries.TryRemove(userId, out _);
        }

        return state;
    }

    private async Task<AccountState> LoadAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return new AccountState(false, string.Empty, true, [], new HashSet<Guid>());
        }

        var sessions = await db.Sessions.AsNoTracking().Where(s => s.UserId == userId && s.EndedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        return new AccountState(true, user.SecurityStamp, user.IsLocked, user.RoleNames.ToList(), sessions.ToHashSet());
    }
}
