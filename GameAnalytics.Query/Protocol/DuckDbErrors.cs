using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace GameAnalytics.Query.Protocol;

/// <summary>DuckDB's errors as Presto's: the kind of error, and the line and column DuckDB points at.</summary>
public static partial class DuckDbErrors
{
    /// <summary>The error as Presto's; <paramref name="withPosition"/> is false where DuckDB ran other text than the client sent.</summary>
    /// <remarks>The server's folders in <paramref name="hide"/> never reach the client: they read as <c>&lt;lake&gt;</c>.</remarks>
    public static QueryException Translate(DuckDBException ex, int firstLineShift = 0, bool withPosition = true, IReadOnlyList<string>? hide = null)
    {
        var message = Hide(ex.Message, hide ?? []);
        var (line, column) = withPosition ? ErrorPosition(message) : (null, null);
        if (line == 1)
        {
            column -= firstLineShift;
        }

        var headline = message.Split('\n')[0];
        var error = headline switch
        {
            _ when headline.StartsWith("Parser Error", StringComparison.Ordinal) => PrestoError.SyntaxError,
            _ when headline.StartsWith("Catalog Error: Table", StringComparison.Ordinal) => PrestoError.MissingTable,
            _ when headline.StartsWith("Binder Error: Referenced column", StringComparison.Ordinal) => PrestoError.MissingColumn,
            _ when headline.StartsWith("Permission Error", StringComparison.Ordinal) => PrestoError.PermissionDenied,
            _ when headline.StartsWith("Invalid Input Error", StringComparison.Ordinal) || headline.StartsWith("Conversion Error", StringComparison.Ordinal) => PrestoError.InvalidFunctionArgument,
            _ when headline.StartsWith("Out of Memory Error", StringComparison.Ordinal) => PrestoError.ExceededMemoryLimit,
            _ => PrestoError.GenericUserError,
        };
        var text = line is { } l && column is { } c ? $"line {l}:{c}: {headline}" : headline;
        return new QueryException(text, error, line, column, ex);
    }

    /// <summary>A message with the server's folders in it as <c>&lt;lake&gt;</c>.</summary>
    public static string Hide(string message, IReadOnlyList<string> folders) =>
        folders.Aggregate(message, (text, folder) => text.Replace(folder, "<lake>", StringComparison.Ordinal));

    /// <summary>DuckDB marks the error under a copy of the line (<c>LINE 2: ...</c>) with a caret.</summary>
    private static (int? Line, int? Column) ErrorPosition(string message)
    {
        var match = CaretLine().Match(message);
        if (!match.Success)
        {
            return (null, null);
        }

        var prefix = match.Groups["prefix"].Value.Length;
        var caret = match.Groups["caret"].Value.Length;
        return (int.Parse(match.Groups["line"].Value), caret - prefix + 1);
    }

    [GeneratedRegex(@"(?<prefix>LINE (?<line>\d+): ).*\n(?<caret> *)\^", RegexOptions.Multiline)]
    private static partial Regex CaretLine();
}
