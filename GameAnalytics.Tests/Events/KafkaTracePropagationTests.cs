using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using GameAnalytics.Events.Kafka;

namespace GameAnalytics.Tests.Events;

public sealed class KafkaTracePropagationTests
{
    [Theory]
    [InlineData(ActivityTraceFlags.Recorded)]
    [InlineData(ActivityTraceFlags.None)]
    public void The_sampled_flag_read_from_the_raw_header_agrees_with_the_propagators_parse(ActivityTraceFlags flags)
    {
        var headers = new Headers();
        KafkaTracePropagation.Inject(new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), flags), headers);

        var parsed = KafkaTracePropagation.Extract(headers).ActivityContext;
        Assert.True(headers.TryGetLastBytes("traceparent", out var traceparent));
        Assert.Equal(flags, parsed.TraceFlags);
        Assert.Equal(flags == ActivityTraceFlags.None, KafkaTracePropagation.IsUnsampled(traceparent));
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", true)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-02", true)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0a", true)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0b", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-ff", false)]
    // Another version, or no traceparent at all: not known to be unsampled, so parsed as before.
    [InlineData("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-extra", false)]
    [InlineData("", false)]
    public void Only_a_version_00_traceparent_without_the_sampled_bit_is_unsampled(string traceparent, bool unsampled) =>
        Assert.Equal(unsampled, KafkaTracePropagation.IsUnsampled(Encoding.ASCII.GetBytes(traceparent)));
}
