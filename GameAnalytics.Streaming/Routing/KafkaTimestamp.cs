namespace GameAnalytics.Streaming.Routing;

/// <summary>The <c>timestamp</c> column: the Kafka timestamp as Spark cast it to string in the original, <c>2021-08-12 17:43:22.123</c>, UTC.</summary>
internal static class KafkaTimestamp
{
    public const int Length = 23;

    public static string ToText(long unixMs)
    {
        Span<byte> text = stackalloc byte[Length];
        return System.Text.Encoding.ASCII.GetString(text[..Format(unixMs, text)]);
    }

    /// <summary>Writes the text as UTF-8; by hand, because a custom date format string costs more than the rest of a row.</summary>
    /// <returns>The bytes written: <see cref="Length"/>.</returns>
    public static int Format(long unixMs, Span<byte> destination)
    {
        var time = DateTime.UnixEpoch.AddMilliseconds(unixMs);
        Digits(destination[..4], time.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), time.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), time.Day);
        destination[10] = (byte)' ';
        Digits(destination.Slice(11, 2), time.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), time.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), time.Second);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 3), time.Millisecond);
        return Length;
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--, value /= 10)
        {
            destination[i] = (byte)('0' + value % 10);
        }
    }
}
