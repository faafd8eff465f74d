using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Query.Security;

/// <summary>HTTP Basic credentials checked against <c>Query:Users</c>, as Presto's password authenticator takes them.</summary>
internal sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, QueryUsers users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals(SchemeName, StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Basic credentials are not base64."));
        }

        var colon = credentials.IndexOf(':');
        if (colon <= 0 || !users.Verify(credentials[..colon], credentials[(colon + 1)..]))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid user name or password."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, credentials[..colon])], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"GameAnalytics\", charset=\"UTF-8\"";
        Response.ContentType = "text/plain";
        await Response.WriteAsync("Unauthorized: this server needs a user name and password (HTTP Basic, over HTTPS)");
    }
}
