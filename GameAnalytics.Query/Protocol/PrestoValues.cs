using System.Collections;
using System.Globalization;
using System.Numerics;

namespace GameAnalytics.Query.Protocol;

/// <summary>
/// Values in Presto's JSON encoding: numbers and booleans as JSON, NaN and infinities, decimals, dates, times
/// and binary as strings, arrays as arrays, maps as objects with string keys, and rows as positional arrays.
/// </summary>
public static class PrestoValues
{
    public static object? Encode(object? value, PrestoType type) => value switch
    {
        null or DBNull => null,
        double d when double.IsNaN(d) => "NaN",
        double d when double.IsPositiveInfinity(d) => "Infinity",
        double d when double.IsNegativeInfinity(d) => "-Infinity",
        float f when float.IsNaN(f) || float.IsInfinity(f) => Encode((double)f, type),
        BigInteger big when type.Name == "decimal" => big.ToString(CultureInfo.InvariantCulture),
        BigInteger big => big >= long.MinValue && big <= long.MaxValue
            ? (long)big
            : throw new QueryException($"The bigint value {big} is out of range", PrestoError.NumericValueOutOfRange),
        ulong number when type.Name == "decimal" => number.ToString(CultureInfo.InvariantCulture),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time when type.Name == "timestamp with time zone" => Timestamp(time) + " UTC",
        DateTime time => Timestamp(time),
        DateTimeOffset time => Timestamp(time.UtcDateTime) + " UTC",
        TimeOnly time => time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture),
        TimeSpan span when type.Name == "time" => span.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture),
        TimeSpan span => (span < TimeSpan.Zero ? "-" : "") + span.Duration().ToString(@"d\ hh\:mm\:ss\.fff", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        Stream stream => Convert.ToBase64String(ReadAll(stream)),
        Guid guid => guid.ToString(),
        string or bool or long or int or short or sbyte or byte or double or float => value,
        ulong or uint or ushort => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        IDictionary fields when type.Name == "row" => Row(fields, type),
        IDictionary map => Map(map, type),
        IEnumerable items when type.Name == "array" => items.Cast<object?>().Select(item => Encode(item, type.Parameters[0])).ToList(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string Timestamp(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static List<object?> Row(IDictionary fields, PrestoType type) =>
        type.Parameters.Select(field => Encode(fields.Contains(field.FieldName!) ? fields[field.FieldName!] : null, field)).ToList();

    private static Dictionary<string, object?> Map(IDictionary map, PrestoType type)
    {
        var encoded = new Dictionary<string, object?>(map.Count);
        foreach (DictionaryEntry entry in map)
        {
            encoded[Convert.ToString(Encode(entry.Key, type.Parameters[0]), CultureInfo.InvariantCulture) ?? ""] = Encode(entry.Value, type.Parameters[1]);
        }

        return encoded;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
