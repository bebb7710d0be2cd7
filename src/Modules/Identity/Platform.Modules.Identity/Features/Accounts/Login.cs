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
        IOptions<IdentityModuleOptions> options,
        TimeProvider clock) : IRequestHandler<Command, SignInOutcome>
    {
        public async Task<SignInOutcome> Handle(Command request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var email = EmailAddress.Normalize(request.Email);
            var throttle = await db.SignInThrottles.FindAsync([email], cancellationToken);
            if (throttle?.RemainingLockout(now) is { } remaining)
            {
                return new SignInOutcome.LockedOut(remaining);
            }

            var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken);
            var verdict = Verify(user, request.Password);
            if (user is null || verdict == PasswordVerificationResult.Failed)
            {
                if (throttle is null)
                {
                    throttle = SignInThrottle.For(email);
                    db.SignInThrottles.Add(throttle);
                }

                var lockout = options.Value.Lockout;
                throttle.RecordFailure(now, lockout.MaxFailedAttempts, lockout.Duration);
                return new SignInOutcome.Rejected(InvalidCredentials);
            }

            if (throttle is not null)
            {
                db.SignInThrottles.Remove(throttle);
            }

            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                user.SetPasswordHash(hasher.HashPassword(user, request.Password));
            }

            return new SignInOutcome.Succeeded(tokens.Issue(user));
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
            .WithDescription("Wrong credentials get one generic 401. Five failures in a row lock sign-in for that email for five minutes (429 with Retry-After).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
}
