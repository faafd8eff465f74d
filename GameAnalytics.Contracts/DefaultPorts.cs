namespace GameAnalytics.Contracts;

/// <summary>Where the embedded topology listens unless told otherwise: the original's ports.</summary>
public static class DefaultPorts
{
    public const int Collector = 5000;
    public const int Query = 8080;
    public const int Kafka = 9092;
}
