using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GameAnalytics.Presto;

namespace GameAnalytics.Tests.Fixtures;

/// <summary>
/// The query service with passwords on, over HTTPS with a certificate made for the test: users <c>analyst</c> and
/// <c>auditor</c>, whose passwords are <see cref="AnalystPassword"/> and <see cref="AuditorPassword"/>.
/// </summary>
public sealed class PasswordQueryServiceProcess : QueryServiceProcess
{
    public const string AnalystPassword = "dragons-are-real";
    public const string AuditorPassword = "butterflies-too";

    private static readonly TempDirectory Folder = new();
    private static readonly X509Certificate2 Certificate = CreateCertificate();

    public PasswordQueryServiceProcess()
        : base("https", new Dictionary<string, string>
        {
            // Few iterations: the hashing itself is tested on its own; the service's checks need not be slow here.
            ["Query__Users__analyst"] = PasswordHash.Create(AnalystPassword, iterations: 1000),
            ["Query__Users__auditor"] = PasswordHash.Create(AuditorPassword, iterations: 1000),
            ["Kestrel__Certificates__Default__Path"] = CertificateFile("service.pfx", Certificate.Export(X509ContentType.Pfx, "test")),
            ["Kestrel__Certificates__Default__Password"] = "test",
        })
    {
    }

    /// <summary>The certificate as PEM, for clients in other languages to trust.</summary>
    public string CertificatePemFile { get; } = CertificateFile("service.pem", System.Text.Encoding.ASCII.GetBytes(Certificate.ExportCertificatePem()));

    /// <summary>An HttpClient that trusts this service's certificate, and nothing else.</summary>
    public HttpClient Client() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == Certificate.Thumbprint,
    })
    { BaseAddress = BaseAddress };

    protected override HttpClient CreateClient() => Client();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Folder.Dispose();
    }

    private static string CertificateFile(string name, byte[] content)
    {
        var path = Path.Combine(Folder.Path, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
