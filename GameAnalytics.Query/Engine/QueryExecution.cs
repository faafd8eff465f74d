using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using DuckDB.NET.Data;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// One query running in the background: its rows go out in pages through a bounded channel, so a large
/// result is never held whole, and a slow client slows the query rather than filling memory.
/// </summary>
internal sealed partial class QueryExecution : IDisposable
{
    private readonly Channel<List<object?[]>> _pages = Channel.CreateBounded<List<object?[]>>(2);
    private readonly CancellationTokenSource _cancellation;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private long _rows;
    private bool _timedOut;
    private bool _userCanceled;

    public QueryExecution(string id, string sql, LakeTables tables, QueryOptions options)
    {
        Id = id;
        _cancellation = new CancellationTokenSource(options.Timeout);
        _cancellation.Token.Register(() => _timedOut = !_userCanceled);
        Completion = Task.Run(() => Run(sql, tables, options.PageRows));
    }

    public string Id { get; }

    public Task Completion { get; }

    public IReadOnlyList<Column>? Columns { get; private set; }

    public QueryException? Failure { get; private set; }

    public long Rows => Interlocked.Read(ref _rows);

    public TimeSpan Elapsed => _elapsed.Elapsed;

    public ChannelReader<List<object?[]>> Pages => _pages.Reader;

    public string State => Failure is not null ? "FAILED"
        : Completion.IsCompleted && _pages.Reader.Completion.IsCompleted ? "FINISHED"
        : Columns is null ? "QUEUED" : "RUNNING";

    public void Cancel()
    {
        _userCanceled = true;
        _cancellation.Cancel();
    }

    private async Task Run(string sql, LakeTables tables, int pageRows)
    {
        var token = _cancellation.Token;
        try
        {
            using var session = LakeSession.Open(tables);
            if (PrestoStatements.TryAnswer(sql, session, tables, out var answer))
            {
                Columns = ToColumns(answer.Columns);
                await WriteAsync(answer.Rows.ToList(), token);
                return;
            }

            StatementGate.EnsureReadQuery(session.Connection, sql);
            var query = sql.Trim().TrimEnd(';');
            List<Column> columns;
            try
            {
                columns = ToColumns(PrestoStatements.DescribeColumns(session.Connection, query)
                    .Select(column => (column.Name, PrestoTypes.FromDuckDb(column.Type))).ToList());
            }
            catch (DuckDBException ex)
            {
                // DuckDB points into "describe <query>": on the first line, the query starts further right.
                throw Translate(ex, firstLineShift: "describe ".Length);
            }

            Columns = columns;

            using var command = session.Connection.CreateCommand();
            command.CommandText = query;
            using var cancel = token.Register(command.Cancel);
            using var reader = command.ExecuteReader();
            var page = new List<object?[]>(pageRows);
            while (reader.Read())
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = PrestoTypes.Encode(reader.IsDBNull(i) ? null : reader.GetValue(i), columns[i].Type);
                }

                page.Add(row);
                if (page.Count == pageRows)
                {
                    await WriteAsync(page, token);
                    page = new List<object?[]>(pageRows);
                }
            }

            token.ThrowIfCancellationRequested();
            await WriteAsync(page, token);
        }
        catch (Exception ex) when (token.IsCancellationRequested && ex is OperationCanceledException or DuckDBException)
        {
            Failure = _timedOut
                ? new QueryException("Query exceeded the maximum execution time", PrestoError.ExceededTimeLimit)
                : new QueryException("Query was canceled", PrestoError.UserCanceled);
        }
        catch (QueryException ex)
        {
            Failure = ex;
        }
        catch (DuckDBException ex)
        {
            Failure = Translate(ex);
        }
        catch (Exception ex)
        {
            Failure = new QueryException(ex.Message, PrestoError.GenericInternalError, inner: ex);
        }
        finally
        {
            _pages.Writer.TryComplete();
        }
    }

    private async Task WriteAsync(List<object?[]> page, CancellationToken token)
    {
        Interlocked.Add(ref _rows, page.Count);
        if (page.Count > 0)
        {
            await _pages.Writer.WriteAsync(page, token);
        }
    }

    private static List<Column> ToColumns(IEnumerable<(string Name, string Type)> columns) =>
        columns.Select(column => new Column(column.Name, column.Type, PrestoTypes.Signature(column.Type))).ToList();

    /// <summary>DuckDB's error as Presto's: its kind, and the line and column DuckDB points at.</summary>
    private static QueryException Translate(DuckDBException ex, int firstLineShift = 0)
    {
        var message = ex.Message;
        var (line, column) = ErrorPosition(message);
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
            _ => PrestoError.GenericUserError,
        };
        var text = line is { } l && column is { } c ? $"line {l}:{c}: {headline}" : headline;
        return new QueryException(text, error, line, column, ex);
    }

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

    public void Dispose() => _cancellation.Dispose();
}
