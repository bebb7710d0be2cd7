using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Platform.Shared.Configuration;
using Platform.Shared.Security;

namespace Platform.Modules.Identity.Features.Tokens;

/// <summary>
/// Identity's signing keys: ES256 (ECDSA on P-256) private keys in a key ring file that only the process
/// hosting Identity reads (<c>Jwt:KeyRingFile</c>; in Development, <c>jwt-keys.json</c> in the data folder,
/// created on first use). The newest key signs; an older one keeps validating until its successor is older
/// than the longest token lifetime (<see cref="JwtOptions.KeyRetirementDelay"/>), and <c>rotate-keys</c>
/// drops it after that. The file is read again when it changes, so a rotation takes effect at once.
/// Anything but a P-256 key is refused.
/// </summary>
internal sealed partial class SigningKeyRing : ITokenSigningKeys
{
    private const string DevelopmentFileName = "jwt-keys.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _path;
    private readonly JwtOptions _jwt;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private Loaded _loaded;

    private readonly ILogger<SigningKeyRing> _logger;
    private DateTimeOffset _lastCheck;

    public SigningKeyRing(IOptions<JwtOptions> jwt, DataFolder dataFolder, IHostEnvironment environment, TimeProvider clock, ILogger<SigningKeyRing> logger)
    {
        _logger = logger;
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(environment);
        _jwt = jwt.Value;
        _clock = clock;
        (_path, _loaded) = Open(_jwt, dataFolder, environment.IsDevelopment(), clock);
    }

    /// <summary>
    /// Finds the ring (creating it in Development) and loads it, or says why it cannot: what start-up checks
    /// (<see cref="SigningKeyRingCheck"/>) before anything signs.
    /// </summary>
    public static (string Path, Loaded Ring) Open(JwtOptions jwt, DataFolder dataFolder, bool development, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(clock);
        var path = PathOf(jwt, dataFolder, development);
        if (!File.Exists(path))
        {
            if (!development)
            {
                throw new InvalidOperationException(
                    $"Jwt:KeyRingFile '{path}' does not exist: create it once with the rotate-keys command (dotnet Platform.Host.dll rotate-keys) and keep it secret; only the process that hosts Identity needs it.");
            }

            Rotate(path, clock.GetUtcNow(), jwt.KeyRetirementDelay);
        }

        return (path, Load(path));
    }

    public SigningCredentials Current => Fresh().Keys[^1].Credentials;

    public IReadOnlyList<SecurityKey> ValidationKeys => Valid(Fresh()).Select(k => (SecurityKey)k.Public).ToList();

    public JsonWebKeySet PublicKeySet
    {
        get
        {
            var set = new JsonWebKeySet();
            foreach (var key in Valid(Fresh()))
            {
                set.Keys.Add(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key.Public));
            }

            return set;
        }
    }

    /// <summary>The key ring's path: <c>Jwt:KeyRingFile</c>, or in Development the data folder's.</summary>
    public static string PathOf(JwtOptions jwt, DataFolder dataFolder, bool development)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(dataFolder);
        return !string.IsNullOrWhiteSpace(jwt.KeyRingFile) ? Path.GetFullPath(jwt.KeyRingFile)
            : development ? dataFolder.File(DevelopmentFileName)
            : throw new InvalidOperationException(
                "Jwt:KeyRingFile must name the signing key ring of the process that hosts Identity (create it with the rotate-keys command). It is generated only in Development.");
    }

    /// <summary>
    /// Adds a new key (it signs from now on) and drops the keys that can no longer have a live token: those
    /// whose successor is older than <paramref name="retirementDelay"/>. Returns the new key's id.
    /// </summary>
    public static string Rotate(string path, DateTimeOffset now, TimeSpan retirementDelay)
    {
        var stored = File.Exists(path) ? Read(path) : new StoredRing([]);
        var kept = stored.Keys.OrderBy(k => k.CreatedAt)
            .Where((key, index) => index == stored.Keys.Count - 1 || stored.Keys.OrderBy(k => k.CreatedAt).ElementAt(index + 1).CreatedAt > now - retirementDelay)
            .ToList();
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = $"{now:yyyyMMddHHmmss}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
        kept.Add(new StoredKey(kid, now, ecdsa.ExportPkcs8PrivateKeyPem()));

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // A new file of its own (never a planted one), readable by its owner only from the first byte.
        var temporary = $"{path}.{Guid.NewGuid():N}.new";
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, create))
        {
            JsonSerializer.Serialize(file, new StoredRing(kept), Json);
        }

        File.Move(temporary, path, overwrite: true);
        return kid;
    }

    /// <summary>The keys that validate now: the newest, and older ones whose successor is younger than the longest token.</summary>
    private IEnumerable<LoadedKey> Valid(Loaded loaded)
    {
        var now = _clock.GetUtcNow();
        for (var i = 0; i < loaded.Keys.Count; i++)
        {
            if (i == loaded.Keys.Count - 1 || loaded.Keys[i + 1].CreatedAt > now - _jwt.KeyRetirementDelay)
            {
                yield return loaded.Keys[i];
            }
        }
    }

    private Loaded Fresh()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (now - _lastCheck >= TimeSpan.FromSeconds(1))
            {
                _lastCheck = now;
                if (File.GetLastWriteTimeUtc(_path) != _loaded.WrittenAt)
                {
                    try
                    {
                        _loaded = Load(_path);
                    }
                    catch (Exception problem) when (problem is InvalidOperationException or IOException or UnauthorizedAccessException)
                    {
                        // Replaced by hand, half written, unreadable or gone: the keys in use stay until a good ring is back.
                        LogUnreadable(problem, _path);
                    }
                }
            }

            return _loaded;
        }
    }

    private static Loaded Load(string path)
    {
        var writtenAt = File.GetLastWriteTimeUtc(path);
        var stored = Read(path);
        if (stored.Keys.Count == 0)
        {
            throw new InvalidOperationException($"The key ring '{path}' holds no key: add one with the rotate-keys command.");
        }

        var keys = stored.Keys.OrderBy(k => k.CreatedAt).Select(LoadKey).ToList();
        return new Loaded(keys, writtenAt);
    }

    private static LoadedKey LoadKey(StoredKey stored)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(stored.PrivateKey);
        }
        catch (Exception problem) when (problem is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new InvalidOperationException($"Signing key '{stored.Kid}' is not an ECDSA P-256 key (ES256) in PEM: refused.", problem);
        }

        if (!HasPrivateKey(ecdsa) || ecdsa.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            ecdsa.Dispose();
            throw new InvalidOperationException($"Signing key '{stored.Kid}' is not an ECDSA P-256 private key (ES256): refused.");
        }

        var publicHalf = ECDsa.Create(ecdsa.ExportParameters(false));
        return new LoadedKey(
            stored.CreatedAt,
            new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = stored.Kid }, SecurityAlgorithms.EcdsaSha256),
            new ECDsaSecurityKey(publicHalf) { KeyId = stored.Kid });
    }

    private static bool HasPrivateKey(ECDsa ecdsa)
    {
        try
        {
            return ecdsa.ExportParameters(includePrivateParameters: true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false; // a public key only: it cannot sign
        }
    }

    private static StoredRing Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<StoredRing>(File.ReadAllText(path), Json) ?? new StoredRing([]);
        }
        catch (JsonException problem)
        {
            throw new InvalidOperationException($"The key ring '{path}' is not a key ring file written by rotate-keys.", problem);
        }
    }

    private sealed record StoredRing(List<StoredKey> Keys);

    private sealed record StoredKey(string Kid, DateTimeOffset CreatedAt, string PrivateKey);

    internal sealed record LoadedKey(DateTimeOffset CreatedAt, SigningCredentials Credentials, ECDsaSecurityKey Public);

    internal sealed record Loaded(IReadOnlyList<LoadedKey> Keys, DateTime WrittenAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The signing key ring {Path} changed but cannot be read; the keys in use stay until it can")]
    private partial void LogUnreadable(Exception exception, string path);
}
