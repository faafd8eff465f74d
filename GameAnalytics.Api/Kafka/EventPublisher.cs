using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using GameAnalytics.Api.Collector;
using GameAnalytics.Events.Kafka;
using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Kafka;

/// <summary>
/// Produces envelopes to the events topic and completes only when the broker has acknowledged
/// each one (acks=all) or given up on it.
/// </summary>
internal sealed class EventPublisher
{
    public const string ActivitySourceName = "GameAnalytics.Api.Kafka";
    public const string MeterName = "GameAnalytics.Api";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    private readonly IProducer<string, byte[]> _producer;
    private readonly EventPublisherOptions _options;
    private readonly Counter<long> _persisted;
    private readonly Counter<long> _failed;

    public EventPublisher(IProducer<string, byte[]> producer, IOptions<EventPublisherOptions> options, IMeterFactory meterFactory)
    {
        _producer = producer;
        _options = options.Value;
        var meter = meterFactory.Create(MeterName);
        _persisted = meter.CreateCounter<long>("gameanalytics.collector.events.persisted", "{event}", "Events the broker acknowledged.");
        _failed = meter.CreateCounter<long>("gameanalytics.collector.events.failed", "{event}", "Events the broker did not acknowledge in time.");
    }

    public async Task<PublishResult> PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return new PublishResult([]);
        }

        using var activity = StartSendActivity(events);
        var delivery = new BatchDelivery(events.Count);

        // One trace context for the whole request: the same headers go with every record, written once. An unsampled
        // request passes on its decision too, so that the stream processor does not start a trace of its own.
        var headers = new Headers();
        if ((activity ?? Activity.Current) is { } traced)
        {
            KafkaTracePropagation.Inject(traced.Context, headers);
        }

        for (var i = 0; i < events.Count; i++)
        {
            var message = new Message<string, byte[]>
            {
                Key = events[i].UserId,
                Value = events[i].Value,
                Headers = headers,
                Timestamp = new Timestamp(events[i].ReceivedAt),
            };

            var index = i;
            try
            {
                _producer.Produce(_options.Topic, message, report => delivery.Complete(index, report.Error));
            }
            catch (ProduceException<string, byte[]> ex)
            {
                delivery.Complete(index, ex.Error);
            }
        }

        // librdkafka fails each message itself at message.timeout.ms; this only guards against a lost callback.
        var errors = await delivery.Task.WaitAsync(_options.DeliveryTimeout + TimeSpan.FromSeconds(5), cancellationToken);
        var result = new PublishResult(errors);
        Record(result, activity);
        return result;
    }

    private Activity? StartSendActivity(IReadOnlyList<OutgoingEvent> events)
    {
        var activity = Source.StartActivity($"send {_options.Topic}", ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.destination.name", _options.Topic);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "send");
            activity.SetTag("messaging.client.id", _producer.Name);
            if (events.Count == 1)
            {
                activity.SetTag("messaging.kafka.message.key", events[0].UserId);
                activity.SetTag("messaging.message.id", events[0].EventId.ToString());
            }
            else
            {
                activity.SetTag("messaging.batch.message_count", events.Count);
            }
        }

        return activity;
    }

    private void Record(PublishResult result, Activity? activity)
    {
        var failed = result.FailedCount;
        _persisted.Add(result.Count - failed, new KeyValuePair<string, object?>("messaging.destination.name", _options.Topic));
        if (failed > 0)
        {
            _failed.Add(failed, new KeyValuePair<string, object?>("messaging.destination.name", _options.Topic));
            activity?.SetStatus(ActivityStatusCode.Error, result.FirstError?.Reason);
            activity?.SetTag("error.type", result.FirstError?.Code.ToString());
        }
    }

    /// <summary>Gathers the delivery reports of one request; they arrive on librdkafka's poll thread.</summary>
    private sealed class BatchDelivery(int count)
    {
        private readonly Error?[] _errors = new Error?[count];
        private readonly TaskCompletionSource<Error?[]> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = count;

        public Task<Error?[]> Task => _done.Task;

        public void Complete(int index, Error error)
        {
            _errors[index] = error.IsError ? error : null;
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult(_errors);
            }
        }
    }
}
