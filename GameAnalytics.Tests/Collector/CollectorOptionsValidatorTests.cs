using GameAnalytics.Api.Collector;

namespace GameAnalytics.Tests.Collector;

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
}
