using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace GameAnalytics.Events.Kafka;

/// <summary>Carries W3C trace context (traceparent, tracestate) and baggage across Kafka in message headers.</summary>
public static class KafkaTracePropagation
{
    private static readonly TextMapPropagator Propagator = new CompositeTextMapPropagator(
        [new TraceContextPropagator(), new BaggagePropagator()]);

    public static void Inject(ActivityContext context, Headers headers) =>
        Propagator.Inject(new PropagationContext(context, Baggage.Current), headers, SetHeader);

    public static PropagationContext Extract(Headers? headers) =>
        Propagator.Extract(default, headers, GetHeader);

    /// <summary>
    /// Whether a W3C <c>traceparent</c> (version 00) says that its trace is not sampled, read from the flags alone:
    /// cheaper than <see cref="Extract"/> for the records of the many requests that are not traced.
    /// </summary>
    public static bool IsUnsampled(ReadOnlySpan<byte> traceparent)
    {
        // "00-" + 32 hex trace id + "-" + 16 hex span id + "-" + 2 hex flags; "sampled" is the lowest bit.
        if (traceparent.Length != 55 || traceparent[0] != '0' || traceparent[1] != '0' || traceparent[52] != '-')
        {
            return false;
        }

        var last = traceparent[54];
        var value = last <= '9' ? last - '0' : (last | 0x20) - 'a' + 10;
        return (value & 1) == 0;
    }

    private static void SetHeader(Headers headers, string name, string value)
    {
        headers.Remove(name);
        headers.Add(name, Encoding.UTF8.GetBytes(value));
    }

    private static IEnumerable<string> GetHeader(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var value)
            ? [Encoding.UTF8.GetString(value)]
            : [];
}
