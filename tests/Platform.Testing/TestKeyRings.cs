using System.Security.Cryptography;
using System.Text.Json;
using Platform.Modules.Identity.Features.Tokens;

namespace Platform.Testing;

/// <summary>Signing key rings for hosts outside Development, which must be given one: good ones, and the kinds a host must refuse.</summary>
public static class TestKeyRings
{
    /// <summary>A ring with one fresh P-256 key, as <c>rotate-keys</c> writes it, in <paramref name="folder"/>.</summary>
    public static string Good(string folder)
    {
        var path = Path.Combine(folder, "keys", "jwt-keys.json");
        SigningKeyRing.Rotate(path, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(16));
        return path;
    }

    /// <summary>A ring whose key is not P-256 (here P-384, or RSA): a host must refuse it.</summary>
    public static string Weak(string folder, string kind)
    {
        var path = Path.Combine(folder, "keys", $"weak-{kind}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string pem;
        if (kind == "public")
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            pem = ecdsa.ExportSubjectPublicKeyInfoPem();
        }
        else if (kind == "rsa")
        {
            using var rsa = RSA.Create(1024);
            pem = rsa.ExportPkcs8PrivateKeyPem();
        }
        else
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            pem = ecdsa.ExportPkcs8PrivateKeyPem();
        }

        File.WriteAllText(path, JsonSerializer.Serialize(new { keys = new[] { new { kid = "weak", createdAt = DateTimeOffset.UtcNow, privateKey = pem } } }));
        return path;
    }
}
