using System.Diagnostics;
using System.Threading.Channels;
using DuckDB.NET.Data;
using GameAnalytics.Query.Protocol;

namespace GameAnalytics.Query.Engine;

/// <summary>
/// One query running in the background: its rows go out in pages through a bounded channel, so a slow client
/// slows the query rather than filling memory.
/// </summary>
internal sealed class QueryExecution : IDisposable
{
    private readonly Channel<List<object?[]>> _pages = Channel.CreateBounded<List<object?[]>>(2);
    private readonly CancellationTokenSource _cancellation;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private long _rows;
    private bool _timedOut;
    private bool _userCanceled;
    private bool _rewritten;

    public QueryExecution(string id, string sql, ClientSession client, LakeDatabase database, QueryAdmission admission, QueryOptions options)
    {
        Id = id;
        Sql = sql;
        Client = client;
        _cancellation = new CancellationTokenSource(SessionProperties.Timeout(client, options));
        _cancellation.Token.Register(() => _timedOut = !_userCanceled);
        Completion = Task.Run(() => Run(database, admission, options));
    }

    public string Id { get; }

    public string Sql { get; }

    public ClientSession Client { get; }

    public Task Completion { get; }

    public IReadOnlyList<Column>? Columns { get; private set; }

    public string? UpdateType { get; private set; }

    public SessionUpdate? SessionUpdate { get; private set; }

    public QueryException? Failure { get; private set; }

    public long Rows => Interlocked.Read(ref _rows);

    public TimeSpan Elapsed => _elapsed.Elapsed;

    public ChannelReader<List<object?[]>> Pages => _pages.Reader;

    public QueryState State => Failure is not null ? QueryState.Failed
        : Completion.IsCompleted && _pages.Reader.Completion.IsCompleted ? QueryState.Finished
        : Columns is null ? QueryState.Queued : QueryState.Running;

    public void Cancel()
    {
        _userCanceled = true;
        _cancellation.Cancel();
    }

    private async Task Run(LakeDatabase database, QueryAdmission admission, QueryOptions options)
    {
        var token = _cancellation.Token;
        var dialect = Client.Dialect;
        QueryAdmission.Ticket? ticket = null;
        try
        {
            if (Sql.Length > options.MaxSqlLength)
            {
                throw new QueryException($"Query text is longer than the maximum of {options.MaxSqlLength:N0} characters (Query:MaxSqlLength)", PrestoError.QueryTextTooLarge);
            }

            foreach (var (name, value) in Client.Properties)
            {
                SessionProperties.Validate(name, value);
            }

            // The query stays QUEUED until it may run.
            ticket = await admission.EnterAsync(token);
            using var lake = database.OpenSession(Client.Catalog, Client.Schema);
            if (CatalogStatements.TryAnswer(Sql, lake, Client, options) is { } answer)
            {
                UpdateType = answer.UpdateType;
                SessionUpdate = answer.Session;
                Columns = answer.Columns.Select(column => Column.Of(column.Name, column.Type, dialect)).ToList();
                await WriteAsync(answer.Rows.ToList(), token);
                return;
            }

            // Leading whitespace stays, so that DuckDB's error positions still point into the client's text.
            var query = SqlQuery.Parse(lake, Sql.TrimEnd().TrimEnd(';'), Client);
            _rewritten = !query.IsOriginal;
            lake.Materialize(query.Metadata, dialect);
            List<(string Name, string Type)> described;
            try
            {
                described = lake.Describe(query.Text);
            }
            catch (DuckDBException ex)
            {
                // DuckDB points into "describe <query>": on the first line, the query starts further right.
                throw DuckDbErrors.Translate(ex, firstLineShift: "describe ".Length, withPosition: !_rewritten, hide: database.ServerFolders);
            }

            var types = described.Select(column => PrestoType.FromDuckDb(column.Type)).ToList();
            var names = query.ColumnNames(described.Select(column => column.Name).ToList());
            Columns = names.Select((name, i) => Column.Of(name, types[i], dialect)).ToList();

            using var command = lake.Connection.CreateCommand();
            command.CommandText = query.Text;
            // Rows come from DuckDB as the client pages through them, not materialised whole.
            command.UseStreamingMode = true;
            using var cancel = token.Register(command.Cancel);
            using var reader = command.ExecuteReader();
            var page = new List<object?[]>(options.PageRows);
            while (reader.Read())
            {
                var row = new object?[types.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = PrestoValues.Encode(reader.IsDBNull(i) ? null : Read(reader, i, names[i]), types[i]);
                }

                page.Add(row);
                if (page.Count == options.PageRows)
                {
                    await WriteAsync(page, token);
                    page = new List<object?[]>(options.PageRows);
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
            Failure = DuckDbErrors.Translate(ex, withPosition: !_rewritten, hide: database.ServerFolders);
        }
        catch (Exception ex)
        {
            Failure = new QueryException(DuckDbErrors.Hide(ex.Message, database.ServerFolders), PrestoError.GenericInternalError, inner: ex);
        }
        finally
        {
            ticket?.Dispose();
            // The time limit's timer would hold the finished query until it fired.
            _cancellation.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
            _pages.Writer.TryComplete();
        }
    }

    /// <summary>A value as DuckDB.NET gives it; one that .NET cannot hold (a month interval, a 38-digit decimal) fails the query as the client's.</summary>
    private static object Read(DuckDBDataReader reader, int column, string name)
    {
        try
        {
            return reader.GetValue(column);
        }
        catch (Exception ex) when (ex is InvalidCastException or OverflowException or NotSupportedException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            throw new QueryException($"Column {name} holds a {reader.GetDataTypeName(column)} value that cannot be sent: {ex.Message} Cast it in the query (to varchar, say).", PrestoError.NotSupported, inner: ex);
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

    public void Dispose() => _cancellation.Dispose();
}
