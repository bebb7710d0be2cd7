namespace Platform.Shared.Security;

/// <summary>
/// Mints service tokens in the process that hosts Identity, which holds the signing keys: that process asks
/// other processes (a gateway reading their API documents, a module asking a contract query) without a round
/// trip to itself, and without a service secret of its own.
/// </summary>
public interface IServiceTokenIssuer
{
    IssuedServiceToken Issue(string service, string module);
}

public sealed record IssuedServiceToken(string AccessToken, TimeSpan Lifetime);
