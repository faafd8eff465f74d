using System.Security.Cryptography.X509Certificates;

namespace Aspire.Hosting;

/// <summary>Whether this user has the ASP.NET Core development certificate (<c>dotnet dev-certs https</c>), which Kestrel serves HTTPS with.</summary>
internal static class DevelopmentCertificate
{
    // The extension by which ASP.NET Core knows its development certificate.
    private const string AspNetHttpsOid = "1.3.6.1.4.1.311.84.1.1";

    public static bool Exists()
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly);
        var now = DateTime.Now;
        return store.Certificates.Any(certificate =>
            certificate.Extensions.Any(extension => extension.Oid?.Value == AspNetHttpsOid)
            && certificate.NotBefore <= now && now <= certificate.NotAfter && certificate.HasPrivateKey);
    }
}
