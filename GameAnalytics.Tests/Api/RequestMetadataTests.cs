using GameAnalytics.Api.Collector;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace GameAnalytics.Tests.Api;

public sealed class RequestMetadataTests
{
    [Theory]
    [InlineData("user1.datafun.com", "user1.datafun.com")]
    [InlineData("User3.DataFun.com:5000", "user3.datafun.com")]
    [InlineData("localhost:5000", "localhost")]
    [InlineData("[::1]:5000", "[::1]")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_user_is_the_host_without_its_port(string? host, string? user) =>
        Assert.Equal(user, RequestMetadata.DeriveUserId(host));

    [Fact]
    public void Keeps_only_allowlisted_headers_and_never_credentials()
    {
        var context = new DefaultHttpContext();
        var headers = context.Request.Headers;
        headers.Host = "user2.datafun.com";
        headers.UserAgent = "ApacheBench/2.3";
        headers.Accept = "*/*";
        headers.Authorization = "Bearer secret";
        headers.Cookie = "session=1";
        headers["X-Api-Key"] = "k";
        headers["X-Request-Id"] = "r-42";
        headers["X-Unlisted"] = "u";
        var options = new CollectorOptions { HeaderAllowlist = ["X-Request-Id", "Accept-Language"] };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 20, 0, 0, TimeSpan.Zero));

        var request = RequestMetadata.From(context.Request, options, clock);

        Assert.Equal(new Dictionary<string, string> { ["x-request-id"] = "r-42" }, request.Headers);
        Assert.Equal("user2.datafun.com", request.Host);
        Assert.Equal("user2.datafun.com", request.HostUserId);
        Assert.Equal("ApacheBench/2.3", request.UserAgent);
        Assert.Equal("*/*", request.Accept);
        Assert.Equal(clock.GetUtcNow(), request.ReceivedAt);
    }
}
