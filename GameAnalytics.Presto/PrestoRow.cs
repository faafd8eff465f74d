using System.Text.Json;

namespace GameAnalytics.Presto;

public sealed record PrestoColumn(string Name, string Type);

/// <summary>One row, its values in Presto's JSON encoding.</summary>
public sealed class PrestoRow(IReadOnlyList<PrestoColumn> columns, JsonElement values)
{
    public IReadOnlyList<PrestoColumn> Columns { get; } = columns;

    public int Count => values.GetArrayLength();

    public JsonElement this[int index] => values[index];

    public bool IsNull(int index) => values[index].ValueKind == JsonValueKind.Null;

    public long GetInt64(int index) => values[index].GetInt64();

    public double GetDouble(int index) => values[index].ValueKind == JsonValueKind.String
        ? double.Parse(values[index].GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : values[index].GetDouble();

    public string? GetString(int index) => values[index].ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => values[index].GetString(),
        _ => values[index].GetRawText(),
    };
}
