using OpenTelemetry.Trace;

namespace GameAnalytics.ServiceDefaults.Telemetry;

/// <summary>
/// Samples new traces up to a rate per second, from a bucket that holds one second's worth. Past the rate a span
/// is still recorded, not exported, so that a failure can still be (<see cref="FailureTracing"/>).
/// </summary>
public sealed class RateLimitedSampler : Sampler
{
    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);
    private static readonly SamplingResult NotSampled = new(SamplingDecision.RecordOnly);

    private readonly double _perSecond;
    private readonly double _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _refilledAt;

    public RateLimitedSampler(double tracesPerSecond, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tracesPerSecond);
        _perSecond = tracesPerSecond;
        _capacity = Math.Max(1, tracesPerSecond);
        _time = time ?? TimeProvider.System;
        _tokens = tracesPerSecond == 0 ? 0 : _capacity;
        _refilledAt = _time.GetTimestamp();
        Description = $"RateLimitedSampler{{{tracesPerSecond}/s}}";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        TryTakeToken() ? Sampled : NotSampled;

    private bool TryTakeToken()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond);
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
