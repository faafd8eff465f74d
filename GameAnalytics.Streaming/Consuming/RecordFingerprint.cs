using System.Security.Cryptography;
using Confluent.Kafka;

namespace GameAnalytics.Streaming.Consuming;

/// <summary>
/// Tells whether Kafka still holds, at an offset, the record the lake landed there. A new broker or a
/// recreated topic starts its offsets again at 0, so the same offset then holds another record (or none).
/// </summary>
internal sealed class RecordFingerprint(ConsumerConfig groupConfig) : IDisposable
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);

    // A consumer of its own, outside the group, that reads single records by offset.
    // It connects as the group does (address and credentials) and otherwise sets its own behaviour.
    private readonly IConsumer<Ignore, byte[]> _reader = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig(groupConfig.ToDictionary())
    {
        GroupId = $"{groupConfig.GroupId}-fingerprint",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Error,
    }).Build();

    public static string Of(ReadOnlySpan<byte> value) => Convert.ToHexString(SHA256.HashData(value), 0, 16);

    /// <returns>
    /// True when the record at <paramref name="offset"/> has <paramref name="fingerprint"/>, false when Kafka holds
    /// another record there, null when it could not be read now (a timeout, a consume error): ask again later.
    /// </returns>
    public bool? Matches(TopicPartition partition, long offset, string fingerprint)
    {
        _reader.Assign(new TopicPartitionOffset(partition, offset));
        try
        {
            var deadline = DateTime.UtcNow + FetchTimeout;
            while (DateTime.UtcNow < deadline)
            {
                var record = _reader.Consume(TimeSpan.FromMilliseconds(200));
                if (record?.Message is not null)
                {
                    return record.Offset.Value == offset && Of(record.Message.Value) == fingerprint;
                }
            }

            return null;
        }
        catch (ConsumeException ex) when (ex.Error.Code is ErrorCode.OffsetOutOfRange or ErrorCode.Local_AutoOffsetReset)
        {
            // The log no longer has that offset: whatever is there now is not the record the lake landed.
            return false;
        }
        catch (ConsumeException)
        {
            return null;
        }
        finally
        {
            _reader.Unassign();
        }
    }

    public void Dispose()
    {
        _reader.Close();
        _reader.Dispose();
    }
}
