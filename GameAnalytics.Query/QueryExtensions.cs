using GameAnalytics.Lake;
using GameAnalytics.Presto;
using GameAnalytics.Query;
using GameAnalytics.Query.Engine;
using GameAnalytics.Query.Insights;
using GameAnalytics.Query.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class QueryExtensions
{
    /// <summary>SQL over the lake (<c>Lake:Root</c>, by default <c>lake</c> under <c>GameAnalytics:DataDir</c>).</summary>
    public static IHostApplicationBuilder AddLakeQueries(this IHostApplicationBuilder builder)
    {
        builder.AddLake();
        builder.Services.AddOptions<LakeOptions>()
            .Validate(lake => !lake.Hdfs.Enabled, "The query service reads a local lake: with the lake in HDFS, Presto is the SQL engine.");
        builder.Services.AddOptions<QueryOptions>()
            .BindConfiguration(QueryOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) =>
            {
                foreach (var (user, hash) in UserLines(configuration[$"{QueryOptions.SectionName}:Users"]))
                {
                    options.Users[user] = hash;
                }
            })
            .Validate(options => options.Users.Values.All(PasswordHash.IsWellFormed), "Every Query:Users hash must come from gamectl hash-password (pbkdf2-sha256$...).")
            .Validate(options => options.PageRows > 0, "Query:PageRows must be positive.")
            .Validate(options => options.MaxConcurrentQueries > 0 && options.MaxQueuedQueries >= 0, "Query:MaxConcurrentQueries must be positive and Query:MaxQueuedQueries not negative.")
            .Validate(options => options.Threads > 0 && options.MaxSqlLength > 0, "Query:Threads and Query:MaxSqlLength must be positive.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LakeDatabase>();
        builder.Services.AddSingleton<QueryAdmission>();
        builder.Services.AddSingleton<QueryManager>();
        builder.Services.AddSingleton<InsightsService>();
        builder.AddQueryAuthentication();
        // The answers' URIs use the scheme and host the client used, behind a TLS-terminating ingress too. Any sender
        // may be trusted with these headers: they change only the URIs in the answer to the same request.
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
        });
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        return builder;
    }

    /// <summary>HTTP Basic against <c>Query:Users</c>; with no users, the <see cref="ReaderPolicy"/> lets every request through.</summary>
    private static void AddQueryAuthentication(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection($"{QueryOptions.SectionName}:Users");
        var lines = (section.Value ?? "").Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length != UserLines(section.Value).Count())
        {
            // A mistyped secret must not turn passwords off.
            throw new InvalidOperationException("Query:Users holds a line that is not name:hash; every line must be a user name, a colon and its hash (gamectl hash-password).");
        }

        var passwords = section.GetChildren().Any() || lines.Length > 0;
        builder.Services.AddSingleton<QueryUsers>();
        builder.Services.AddAuthentication(BasicAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddPolicy(ReaderPolicy, policy =>
        {
            if (passwords)
            {
                policy.RequireAuthenticatedUser();
            }
            else
            {
                policy.RequireAssertion(_ => true);
            }
        });
    }

    /// <summary>The policy of every endpoint that reads the lake.</summary>
    public const string ReaderPolicy = "lake-reader";

    /// <summary><c>user:hash</c> entries, one a line (or separated by <c>;</c>), as a secret parameter carries them.</summary>
    private static IEnumerable<(string User, string Hash)> UserLines(string? text) =>
        (text ?? "").Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0)
            .Select(parts => (parts[0], parts[1]));
}
