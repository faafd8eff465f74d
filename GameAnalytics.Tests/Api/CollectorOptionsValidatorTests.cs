using GameAnalytics.Api.Collector;

namespace GameAnalytics.Tests.Api;

public sealed class CollectorOptionsValidatorTests
{
    [Theory]
    [InlineData("Authorization")]
    [InlineData("cookie")]
    [InlineData("X-Api-Key")]
    [InlineData("X-Auth-Token")]
    [InlineData("Proxy-Authorization")]
    public void Refuses_to_allowlist_a_header_that_carries_credentials(string header)
    {
        var result = new CollectorOptionsValidator().Validate(null, new CollectorOptions { HeaderAllowlist = ["X-Request-Id", header] });

        Assert.True(result.Failed);
        Assert.Contains(header, result.FailureMessage);
    }

    [Fact]
    public void Accepts_the_default_allowlist()
    {
        var result = new CollectorOptionsValidator().Validate(null, new CollectorOptions
        {
            HeaderAllowlist = ["X-Request-Id", "X-Client-Version", "X-Platform", "Accept-Language"],
            AllowAnonymous = true,
        });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Refuses_a_burst_that_a_full_batch_would_not_fit_in()
    {
        var result = new CollectorOptionsValidator().Validate(null, new CollectorOptions
        {
            AllowAnonymous = true,
            MaxBatchEvents = 1000,
            RateLimit = new RateLimitOptions { EventsPerSecond = 100, Burst = 500 },
        });

        Assert.True(result.Failed);
        Assert.Contains("RateLimit:Burst (500) must be at least Collector:MaxBatchEvents (1000)", result.FailureMessage);
    }

    [Fact]
    public void A_rate_of_zero_turns_the_limit_off_whatever_the_burst()
    {
        var result = new CollectorOptionsValidator().Validate(null, new CollectorOptions
        {
            AllowAnonymous = true,
            RateLimit = new RateLimitOptions { EventsPerSecond = 0, Burst = 0 },
        });

        Assert.True(result.Succeeded);
    }
}
