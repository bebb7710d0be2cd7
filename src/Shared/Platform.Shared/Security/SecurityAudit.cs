using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Platform.Shared.Security;

/// <summary>
/// Security events as structured log entries in their own category (<c>Platform.Security.Audit</c>),
/// each with the actor, the target, the outcome, the client's address and the trace id, and never a
/// secret. Route the category to wherever audit records are kept.
/// </summary>
public sealed partial class SecurityAudit(ILoggerFactory loggers, IHttpContextAccessor http)
{
    public const string Category = "Platform.Security.Audit";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void SignInFailed(string email) => LogSignInFailed(_logger, "anonymous", email, "refused", Client, Trace);

    public void SignInLockedOut(string email, TimeSpan lockedFor) => LogLockedOut(_logger, "anonymous", email, "locked", (int)lockedFor.TotalSeconds, Client, Trace);

    public void SignedIn(Guid user, Guid session) => LogSignedIn(_logger, user.ToString(), user.ToString(), "success", session.ToString(), Client, Trace);

    public void RefreshTokenReused(Guid user, Guid session) => LogRefreshReused(_logger, "unknown holder", user.ToString(), "session revoked", session.ToString(), Client, Trace);

    public void RolesChanged(Guid actor, Guid target, IEnumerable<string> from, IEnumerable<string> to) =>
        LogRolesChanged(_logger, actor.ToString(), target.ToString(), "success", string.Join(",", from.Order(StringComparer.Ordinal)), string.Join(",", to.Order(StringComparer.Ordinal)), Client, Trace);

    public void PasswordChanged(Guid user, string how) => LogPasswordChanged(_logger, user.ToString(), user.ToString(), "success", how, Client, Trace);

    public void SignedOut(Guid user, Guid session) => LogSignedOut(_logger, user.ToString(), user.ToString(), "session ended", session.ToString(), Client, Trace);

    public void SignedOutEverywhere(Guid user) => LogSignedOutEverywhere(_logger, user.ToString(), user.ToString(), "all sessions ended", Client, Trace);

    public void AccountLocked(Guid actor, Guid target, bool locked) => LogAccountLocked(_logger, actor.ToString(), target.ToString(), locked ? "locked" : "unlocked", Client, Trace);

    public void AdminSeeded(Guid user, string email) => LogAdminSeeded(_logger, "configuration", user.ToString(), "created", email, Client, Trace);

    private string Client => http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "none";

    private static string Trace => Activity.Current?.TraceId.ToString() ?? "none";

    [LoggerMessage(EventName = "SignInFailed", Level = LogLevel.Warning, Message = "Security: sign-in failed; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogSignInFailed(ILogger logger, string actor, string target, string outcome, string clientAddress, string traceId);

    [LoggerMessage(EventName = "SignInLockedOut", Level = LogLevel.Warning, Message = "Security: sign-in locked for {Seconds} s; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogLockedOut(ILogger logger, string actor, string target, string outcome, int seconds, string clientAddress, string traceId);

    [LoggerMessage(EventName = "SignedIn", Level = LogLevel.Information, Message = "Security: signed in, session {Session}; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogSignedIn(ILogger logger, string actor, string target, string outcome, string session, string clientAddress, string traceId);

    [LoggerMessage(EventName = "RefreshTokenReused", Level = LogLevel.Warning, Message = "Security: a used refresh token came back, session {Session} revoked; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogRefreshReused(ILogger logger, string actor, string target, string outcome, string session, string clientAddress, string traceId);

    [LoggerMessage(EventName = "RolesChanged", Level = LogLevel.Warning, Message = "Security: roles changed from {From} to {To}; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogRolesChanged(ILogger logger, string actor, string target, string outcome, string from, string to, string clientAddress, string traceId);

    [LoggerMessage(EventName = "PasswordChanged", Level = LogLevel.Warning, Message = "Security: password changed ({How}), every session ended; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogPasswordChanged(ILogger logger, string actor, string target, string outcome, string how, string clientAddress, string traceId);

    [LoggerMessage(EventName = "SignedOut", Level = LogLevel.Information, Message = "Security: signed out of session {Session}; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogSignedOut(ILogger logger, string actor, string target, string outcome, string session, string clientAddress, string traceId);

    [LoggerMessage(EventName = "SignedOutEverywhere", Level = LogLevel.Warning, Message = "Security: signed out everywhere; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogSignedOutEverywhere(ILogger logger, string actor, string target, string outcome, string clientAddress, string traceId);

    [LoggerMessage(EventName = "AccountLocked", Level = LogLevel.Warning, Message = "Security: account lock changed; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogAccountLocked(ILogger logger, string actor, string target, string outcome, string clientAddress, string traceId);

    [LoggerMessage(EventName = "AdminSeeded", Level = LogLevel.Warning, Message = "Security: administrator {Email} created from configuration; actor {Actor}, target {Target}, outcome {Outcome}, client {ClientAddress}, trace {TraceId}")]
    private static partial void LogAdminSeeded(ILogger logger, string actor, string target, string outcome, string email, string clientAddress, string traceId);
}
