using System.Diagnostics;
using GameAnalytics.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace GameAnalytics.Tests.ServiceDefaults;

public sealed class RateLimitedSamplerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_seconds_worth_of_traces_is_sampled_at_once_then_the_rate_refills()
    {
        var sampler = new RateLimitedSampler(100, _time);

        Assert.Equal(100, SampledOf(sampler, 250));

        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal(5, SampledOf(sampler, 250));

        // An idle minute refills one second's worth, not sixty.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(100, SampledOf(sampler, 250));
    }

    [Fact]
    public void A_span_past_the_rate_is_recorded_so_that_a_failure_can_still_be_exported()
    {
        var sampler = new RateLimitedSampler(1, _time);

        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler));
        Assert.Equal(SamplingDecision.RecordOnly, Decide(sampler));
    }

    [Fact]
    public void A_rate_of_zero_samples_no_new_trace()
    {
        var sampler = new RateLimitedSampler(0, _time);
        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, SampledOf(sampler, 10));
    }

    private static int SampledOf(Sampler sampler, int spans) =>
        Enumerable.Range(0, spans).Count(_ => Decide(sampler) == SamplingDecision.RecordAndSample);

    private static SamplingDecision Decide(Sampler sampler) =>
        sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), "GET /", ActivityKind.Server)).Decision;
}
