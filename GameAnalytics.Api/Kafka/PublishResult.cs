using Confluent.Kafka;

namespace GameAnalytics.Api.Kafka;

/// <summary>Per event, null when the broker acknowledged it, otherwise why it did not.</summary>
internal sealed class PublishResult(Error?[] errors)
{
    public int Count => errors.Length;

    public int FailedCount { get; } = errors.Count(error => error is not null);

    public bool AllPersisted => FailedCount == 0;

    public Error? FirstError => errors.FirstOrDefault(error => error is not null);

    public Error? ErrorAt(int index) => errors[index];
}
