using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Platform.Modules.Identity.Persistence;
using Platform.Testing;

namespace Platform.IntegrationTests.Security;

/// <summary>Issue 9, findings 2 and 5: refresh rotation that holds under concurrency, and an audit trail.</summary>
public sealed class AuditAndRaceTests : IDisposable
{
    private readonly PlatformFactory _factory = new PlatformFactory().With("Identity:Lockout:MaxFailedAttempts", "2");

    [Fact]
    public async Task Twenty_simultaneous_refreshes_of_one_token_let_exactly_one_through_and_the_reuse_revokes_the_family()
    {
        for (var round = 0; round < 3; round++)
        {
            var email = IdentityApi.NewEmail();
            await _factory.CreateClient().RegisterAsync(email);
            var tokens = await (await _factory.CreateClient().LoginAsync(email, PlatformFactory.CustomerPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);

            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _factory.CreateClient().RefreshAsync(tokens.RefreshToken)));

            responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
            responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).Should().Be(19);
            var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<TokenPair>();
            (await _factory.CreateClient().RefreshAsync(winner!.RefreshToken)).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
                "presenting the used token again meant theft: the whole family, the winner's new token too, is revoked");
        }
    }

    [Fact]
    public async Task Two_refreshes_that_both_read_the_token_as_unused_cannot_both_use_it()
    {
        var email = IdentityApi.NewEmail();
        await _factory.CreateClient().RegisterAsync(email);
        var tokens = await (await _factory.CreateClient().LoginAsync(email, PlatformFactory.CustomerPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        var hash = Platform.Modules.Identity.Features.Tokens.TokenIssuer.Hash(tokens.RefreshToken);
        await using var first = _factory.Services.CreateAsyncScope();
        await using var second = _factory.Services.CreateAsyncScope();
        var a = first.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var b = second.ServiceProvider.GetRequiredService<IdentityDbContext>();

        // Both read it unused, as two requests under read committed would; then each tries to use it.
        var seenByA = await a.RefreshTokens.AsNoTracking().SingleAsync(t => t.TokenHash == hash);
        var seenByB = await b.RefreshTokens.AsNoTracking().SingleAsync(t => t.TokenHash == hash);
        seenByA.UsedAt.Should().BeNull();
        seenByB.UsedAt.Should().BeNull();
        var now = DateTimeOffset.UtcNow;

        var usedByA = await Platform.Modules.Identity.Features.Tokens.RefreshTokenStore.TryUseAsync(a, seenByA.Id, now, default);
        var usedByB = await Platform.Modules.Identity.Features.Tokens.RefreshTokenStore.TryUseAsync(b, seenByB.Id, now, default);

        usedByA.Should().BeTrue();
        usedByB.Should().BeFalse("the second use is caught by the statement itself, whatever the isolation level");
    }

    [Fact]
    public async Task Security_events_are_logged_with_actor_target_outcome_client_and_trace_and_no_secret()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var email = IdentityApi.NewEmail();
        var user = await (await _factory.CreateClient().RegisterAsync(email)).ReadAsAsync<User>(HttpStatusCode.Created);
        await _factory.CreateClient().LoginAsync(email, "wrong-password-1");
        await _factory.CreateClient().LoginAsync(email, "wrong-password-2");
        await (await admin.PutAsJsonAsync($"/api/identity/users/{user.Id}/roles", new { roles = new[] { "Customer", "Admin" } })).Content.ReadAsStringAsync();
        var tokens = await (await _factory.CreateClient().LoginAsync("admin@platform.local", PlatformFactory.AdminPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        await _factory.CreateClient().RefreshAsync(tokens.RefreshToken);
        await _factory.CreateClient().RefreshAsync(tokens.RefreshToken);
        var signedIn = _factory.CreateClient();
        var userTokens = await (await _factory.CreateClient().LoginAsync("admin@platform.local", PlatformFactory.AdminPassword)).ReadAsAsync<TokenPair>(HttpStatusCode.OK);
        signedIn.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", userTokens.AccessToken);
        await signedIn.PostAsync("/api/identity/logout", null);

        var audit = _factory.Logs.Entries.Where(e => e.Category == "Platform.Security.Audit").ToList();

        audit.Select(e => e.EventName).Should().Contain(["AdminSeeded", "SignInFailed", "SignInLockedOut", "RolesChanged", "RefreshTokenReused", "SignedOut"]);
        var roles = audit.Single(e => e.EventName == "RolesChanged");
        roles["Actor"].Should().NotBeNullOrEmpty();
        roles["Target"].Should().Be(user.Id.ToString());
        roles["From"].Should().Be("Customer");
        roles["To"].Should().Be("Admin,Customer");
        audit.Should().OnlyContain(e => e.Values.ContainsKey("Outcome") && e.Values.ContainsKey("ClientAddress") && e.Values.ContainsKey("TraceId"));
        string.Join("\n", audit.Select(e => e.Message)).Should().NotContain(PlatformFactory.CustomerPassword).And.NotContain(tokens.RefreshToken);
    }

    public void Dispose() => _factory.Dispose();
}

/// <summary>Issue 9, findings 2 and 4: the last-admin guard and the operator's password reset.</summary>
public sealed class AdminGuardAndResetTests
{
    [Fact]
    public async Task Two_admins_demoting_each_other_at_the_same_moment_leave_one_admin()
    {
        using var factory = new PlatformFactory();
        var admin = await factory.CreateAdminClientAsync();
        var second = await (await factory.CreateClient().RegisterAsync(IdentityApi.NewEmail())).ReadAsAsync<User>(HttpStatusCode.Created);
        await admin.PutAsJsonAsync($"/api/identity/users/{second.Id}/roles", new { roles = new[] { "Admin" } });
        await using var first = factory.Services.CreateAsyncScope();
        await using var other = factory.Services.CreateAsyncScope();
        var a = first.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var b = other.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var adminId = (await a.Users.AsNoTracking().SingleAsync(u => u.NormalizedEmail == "ADMIN@PLATFORM.LOCAL")).Id;

        // Each has read that two administrators exist; each now removes the other's role.
        var removedByA = await Platform.Modules.Identity.Features.Users.LastAdminGuard.TryRemoveAdminAsync(a, second.Id, default);
        var removedByB = await Platform.Modules.Identity.Features.Users.LastAdminGuard.TryRemoveAdminAsync(b, adminId, default);

        removedByA.Should().BeTrue();
        removedByB.Should().BeFalse("the count is part of the statement: the last administrator stays");
        (await a.Users.AsNoTracking().CountAsync(u => u.Roles.Any(r => r.Name == "Admin"))).Should().Be(1);
    }

    [Fact]
    public void On_sql_server_the_guard_and_the_refresh_use_are_single_statements_that_lock_what_they_count()
    {
        using var factory = PlatformFactory.Production()
            .With("Database:Provider", "SqlServer")
            .With("Database:MigrateOnStartup", "false")
            .With("ConnectionStrings:Platform", "Server=127.0.0.1,1;Database=Platform;User Id=sa;Password=unused;Encrypt=False;Connect Timeout=1");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();

        var guard = Platform.Modules.Identity.Features.Users.LastAdminGuard.Sql(db);
        var use = Platform.Modules.Identity.Features.Tokens.RefreshTokenStore.Unused(db, Guid.NewGuid()).ToQueryString();

        guard.Should().StartWith("DELETE FROM [identity].[UserRoles]").And.Contain("WITH (UPDLOCK, HOLDLOCK)").And.Contain("> 1");
        use.Should().Contain("[r].[UsedAt] IS NULL").And.Contain("[r].[RevokedAt] IS NULL");
    }

    [Fact]
    public async Task The_operator_resets_a_forgotten_admin_password_with_a_one_shot_command_and_the_configured_password_never_does_it_alone()
    {
        using var folder = new TempDataFolder();
        string oldToken;
        using (var first = PlatformFactory.On(folder.Path))
        {
            var admin = await first.CreateAdminClientAsync();
            oldToken = admin.DefaultRequestHeaders.Authorization!.Parameter!;
        }

        const string newPassword = "Willow-Ember-Canyon-Drift-513";
        using var second = PlatformFactory.On(folder.Path).With("Identity:Admin:Password", newPassword);
        (await second.CreateClient().LoginAsync(PlatformFactory.AdminEmail, newPassword)).StatusCode.Should().Be(HttpStatusCode.Unauthorized,
            "a start with another configured password changes nothing");

        var command = second.Services.GetServices<Platform.Shared.Modules.IModuleCommand>().Single(c => c.Name == "reset-admin-password");
        (await command.RunAsync(second.Services, default)).Should().Be(0);

        (await second.CreateClient().LoginAsync(PlatformFactory.AdminEmail, newPassword)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await second.CreateClient().LoginAsync(PlatformFactory.AdminEmail, PlatformFactory.AdminPassword)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await (await second.CreateClient().GetWithTokenAsync("/api/identity/me", oldToken)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        second.Logs.Entries.Should().Contain(e => e.Category == "Platform.Security.Audit" && e.EventName == "PasswordChanged");
    }
}
