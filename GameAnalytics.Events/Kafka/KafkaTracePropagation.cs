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
