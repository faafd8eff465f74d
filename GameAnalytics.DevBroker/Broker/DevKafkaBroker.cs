using System.Net;
using System.Runtime.InteropServices;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>
/// A single-node Kafka broker for development and tests: librdkafka's mock cluster, which speaks the real
/// Kafka protocol, reached through a fixed loopback port. It keeps everything in memory only.
/// </summary>
public sealed class DevKafkaBroker : IAsyncDisposable
{
    private const int BrokerId = 1;
    private const short ProduceApiKey = 0;
    private const int NotEnoughReplicas = 19;
    // Each Produce request takes one; producers retry a few times a second, so this outlasts any bounded drain.
    private const int RefusedProduceRequests = 100_000;

    private readonly nint _handle;
    private readonly nint _cluster;
    private readonly TcpRelay _relay;
    private readonly Lock _intakeLock = new();
    private int _disposed;

    private DevKafkaBroker(nint handle, nint cluster, TcpRelay relay, IReadOnlyDictionary<string, int> topics)
    {
        _handle = handle;
        _cluster = cluster;
        _relay = relay;
        Topics = topics;
    }

    /// <summary>The address clients use, e.g. <c>127.0.0.1:9092</c>.</summary>
    public string BootstrapServers => $"127.0.0.1:{Port}";

    public int Port => _relay.Port;

    public IReadOnlyDictionary<string, int> Topics { get; }

    /// <exception cref="PortInUseException">The configured port is taken.</exception>
    public static DevKafkaBroker Start(DevBrokerOptions options)
    {
        var handle = LibRdKafka.NewMockClusterHandle(brokerCount: 1);
        try
        {
            var cluster = LibRdKafka.rd_kafka_handle_mock_cluster(handle);
            var internalAddress = ParseBootstrap(Marshal.PtrToStringUTF8(LibRdKafka.rd_kafka_mock_cluster_bootstraps(cluster)));
            var relay = TcpRelay.Start(options.Port, internalAddress);

            // Metadata must name the relay, or clients would connect to the random internal port.
            LibRdKafka.rd_kafka_mock_broker_set_host_port(cluster, BrokerId, "127.0.0.1", relay.Port);

            foreach (var (topic, partitions) in options.Topics)
            {
                var error = LibRdKafka.rd_kafka_mock_topic_create(cluster, topic, partitions, replicationFactor: 1);
                if (error != 0)
                {
                    throw new InvalidOperationException($"Could not create topic '{topic}' with {partitions} partitions: {LibRdKafka.Describe(error)}");
                }
            }

            return new DevKafkaBroker(handle, cluster, relay, new Dictionary<string, int>(options.Topics));
        }
        catch
        {
            LibRdKafka.rd_kafka_destroy(handle);
            throw;
        }
    }

    /// <summary>Whether Produce requests are refused, and why: to stop, or until the stream processor catches up.</summary>
    public RecordIntake Intake { get; private set; } = RecordIntake.Accepting;

    /// <summary>Bytes clients have sent the broker, mostly Produce requests: what its memory fills with.</summary>
    public long BytesReceived => _relay.BytesFromClients;

    /// <summary>
    /// From now on every Produce request fails with NOT_ENOUGH_REPLICAS, which producers retry until their message
    /// timeout: nothing new is written, and the collector answers 503. Consumers go on fetching and committing.
    /// </summary>
    public void RefuseNewRecords() => SetIntake(RecordIntake.Stopping);

    /// <summary>Why records are paused, for health checks.</summary>
    public string? PauseReason { get; private set; }

    /// <summary>Refuses Produce requests, as <see cref="RefuseNewRecords"/>, until <see cref="ResumeNewRecords"/>.</summary>
    public void PauseNewRecords(string reason)
    {
        PauseReason = reason;
        SetIntake(RecordIntake.Paused);
    }

    /// <summary>Accepts Produce requests again after <see cref="PauseNewRecords"/>; a stop's refusal stays.</summary>
    public void ResumeNewRecords() => SetIntake(RecordIntake.Accepting);

    private void SetIntake(RecordIntake intake)
    {
        lock (_intakeLock)
        {
            if (Intake == intake || Intake == RecordIntake.Stopping)
            {
                return;
            }

            if (intake == RecordIntake.Accepting)
            {
                LibRdKafka.rd_kafka_mock_clear_request_errors(_cluster, ProduceApiKey);
            }
            else if (Intake == RecordIntake.Accepting)
            {
                var errors = new int[RefusedProduceRequests];
                Array.Fill(errors, NotEnoughReplicas);
                LibRdKafka.rd_kafka_mock_push_request_errors_array(_cluster, ProduceApiKey, (nuint)errors.Length, errors);
            }

            Intake = intake;
        }
    }

    /// <summary>Deletes the partition's records below <paramref name="offset"/>: its earliest offset becomes <paramref name="offset"/>.</summary>
    public void DeleteRecordsBefore(string topic, int partition, long offset)
    {
        var error = LibRdKafka.rd_kafka_mock_partition_delete_records(_cluster, topic, partition, offset);
        if (error != 0)
        {
            throw new InvalidOperationException($"Could not delete the records of {topic} [{partition}] below offset {offset}: {LibRdKafka.Describe(error)}");
        }
    }

    private static IPEndPoint ParseBootstrap(string? bootstraps)
    {
        var first = bootstraps?.Split(',')[0];
        return first is not null && IPEndPoint.TryParse(first, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException($"Unexpected mock cluster bootstrap address '{bootstraps}'.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _relay.DisposeAsync();
        // rd_kafka_destroy joins librdkafka's threads; keep it off the caller's thread.
        await Task.Run(() => LibRdKafka.rd_kafka_destroy(_handle));
    }
}
