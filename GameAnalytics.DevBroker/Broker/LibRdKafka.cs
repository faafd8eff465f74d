using System.Reflection;
using System.Runtime.InteropServices;

namespace GameAnalytics.DevBroker.Broker;

/// <summary>
/// The few librdkafka calls that reach its mock cluster, which Confluent.Kafka does not expose.
/// They bind to the very librdkafka file Confluent.Kafka has loaded, whichever variant that is.
/// </summary>
internal static partial class LibRdKafka
{
    private const string LibraryName = "librdkafka";
    private const int ProducerType = 0;
    private const int ConfOk = 0;

    private static readonly Lazy<nint> Handle = new(LoadConfluentLibrary);

    public static void EnsureLoaded()
    {
        _ = Handle.Value;
    }

    public static nint NewMockClusterHandle(int brokerCount)
    {
        EnsureLoaded();
        var errors = new byte[512];
        var conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "test.mock.num.brokers", brokerCount.ToString(), errors, (nuint)errors.Length) != ConfOk)
        {
            rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"librdkafka refused test.mock.num.brokers: {ErrorText(errors)}");
        }

        // rd_kafka_new owns conf from here on, also when it fails.
        var handle = rd_kafka_new(ProducerType, conf, errors, (nuint)errors.Length);
        return handle != 0 ? handle : throw new InvalidOperationException($"librdkafka could not start its mock cluster: {ErrorText(errors)}");
    }

    public static string Describe(int errorCode) => Marshal.PtrToStringUTF8(rd_kafka_err2str(errorCode)) ?? $"error {errorCode}";

    private static string ErrorText(byte[] errors)
    {
        var length = Array.IndexOf(errors, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errors, 0, length < 0 ? errors.Length : length);
    }

    private static nint LoadConfluentLibrary()
    {
        Confluent.Kafka.Library.Load();
        var path = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && Path.GetFileName(fields[5].Trim()).Contains(LibraryName, StringComparison.Ordinal))
            .Select(fields => fields[5].Trim())
            .FirstOrDefault()
            ?? throw new PlatformNotSupportedException("Confluent.Kafka loaded no librdkafka file that can be found in /proc/self/maps (the dev broker runs on Linux).");

        var handle = NativeLibrary.Load(path);
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafka).Assembly, Resolve);
        return handle;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibraryName ? Handle.Value : 0;

    [LibraryImport(LibraryName)]
    private static partial nint rd_kafka_conf_new();

    [LibraryImport(LibraryName)]
    private static partial void rd_kafka_conf_destroy(nint conf);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_conf_set(nint conf, string name, string value, [Out] byte[] errstr, nuint errstrSize);

    [LibraryImport(LibraryName)]
    private static partial nint rd_kafka_new(int type, nint conf, [Out] byte[] errstr, nuint errstrSize);

    [LibraryImport(LibraryName)]
    internal static partial void rd_kafka_destroy(nint rk);

    [LibraryImport(LibraryName)]
    private static partial nint rd_kafka_err2str(int err);

    [LibraryImport(LibraryName)]
    internal static partial nint rd_kafka_handle_mock_cluster(nint rk);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(nint mockCluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibraryName)]
    internal static partial nint rd_kafka_mock_cluster_bootstraps(nint mockCluster);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rd_kafka_mock_broker_set_host_port(nint mockCluster, int brokerId, string host, int port);

    /// <summary>Deletes the records of a partition below <paramref name="beforeOffset"/>, as Kafka's DeleteRecords does.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_partition_delete_records(nint mockCluster, string topic, int partition, long beforeOffset);

    /// <summary>Each request of <paramref name="apiKey"/> that arrives takes the next error off this stack.</summary>
    [LibraryImport(LibraryName)]
    internal static partial void rd_kafka_mock_push_request_errors_array(nint mockCluster, short apiKey, nuint count, [In] int[] errors);

    [LibraryImport(LibraryName)]
    internal static partial void rd_kafka_mock_clear_request_errors(nint mockCluster, short apiKey);
}
