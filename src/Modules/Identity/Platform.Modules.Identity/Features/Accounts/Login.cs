using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Platform.Modules.Identity.Domain;
using Platform.Modules.Identity.Features.Tokens;
using Platform.Modules.Identity.Persistence;
using Platform.Shared.Mediation;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Accounts;

internal static class Login
{
    public const string InvalidCredentials = "The email address or password is incorrect.";

    internal sealed record Command(string Email, string Password) : ICommand<SignInOutcome>
    {
        public override string ToString() => $"Login {{ Email = {Email} }}";
    }

    internal sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Email).NotEmpty().MaximumLength(EmailAddress.MaxLength);
            RuleFor(c => c.Password).NotEmpty().MaximumLength(IdentityModuleOptions.MaxPasswordLength);
        }
    }

    internal sealed class Handler(
        IdentityDbContext db,
        IPasswordHasher<User> hasher,
        TokenIssuer tokens,
        Sessions sessions,
        IOptions<IdentityModuleOptions> options,
        IHttpContextAccessor http,
        SecurityAudit audit,
        TimeProvider clock) : IRequestHandler<Command, SignInOutcome>
    {
        public async Task<SignInOutcome> Handle(Command request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var email = EmailAddress.Normalize(request.Email);
            var client = ClientNetwork.Of(http.HttpContext?.Connection.RemoteIpAddress);
            var throttle = await db.SignInThrottles.AsNoTracking().FirstOrDefaultAsync(t => t.NormalizedEmail == email && t.Client == client, cancellationToken);
            if (throttle?.RemainingLockout(now) is { } remaining)
            {
                return new SignInOutcome.LockedOut(remaining);
            }

            var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken);
            var verdict = Verify(user, request.Password);
            if (user is null || verdict == PasswordVerificationResult.Failed || user.IsLocked)
            {
                audit.SignInFailed(email);
                var lockoutEnded = throttle?.LockedUntil is { } until && until <= now;
                var lockedFor = await SignInThrottles.RecordFailureAsync(db, email, client, lockoutEnded, now, options.Value.Lockout, cancellationToken);
                if (lockedFor is { } duration)
                {
                    audit.SignInLockedOut(email, duration);
                }

                return new SignInOutcome.Rejected(InvalidCredentials);
            }

            await db.SignInThrottles.Where(t => t.NormalizedEmail == email && t.Client == client).ExecuteDeleteAsync(cancellationToken);
            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.SetPasswordHash(hasher.HashPassword(user, request.Password));
            }

            var session = sessions.Start(user);
            audit.SignedIn(user.Id, session.Id);
            return new SignInOutcome.Succeeded(tokens.Issue(user, session.Id));
        }

        private PasswordVerificationResult Verify(User? user, string password)
        {
            if (user is not null)
            {
                return hasher.VerifyHashedPassword(user, user.PasswordHash, password);
            }

            // Hash anyway, so an unknown email takes as long as a wrong password and reveals nothing.
            hasher.HashPassword(null!, password);
            return PasswordVerificationResult.Failed;
        }
    }

    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/login", async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> (Command command, IMediator mediator, HttpContext http, CancellationToken cancellationToken) =>
                (await mediator.Send(command, cancellationToken)).ToHttpResult(http))
            .AllowAnonymous()
            .RequireRateLimiting(PlatformRateLimits.Credentials)
            .WithName("Login")
            .WithSummary("Sign in and get an access token and a refresh token")
            .WithDescription("Wrong credentials get one generic 401. Five failures in a row from one client (IPv4 address or IPv6 /64) lock sign-in for that email from that client for five minutes (429 with Retry-After); other clients, the owner's among them, are not locked out.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
