using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace GameAnalytics.Cli.Simulation;

/// <summary>
/// Sends one request at a time for one worker and accounts for every event in it. Its buffers are reused from
/// request to request, because a worker never has two requests in flight.
/// </summary>
internal sealed class RequestWorker : IRequestWorker
{
    private static readonly JsonEncodedText EventTypeProperty = JsonEncodedText.Encode("event_type");
    private static readonly JsonEncodedText UserIdProperty = JsonEncodedText.Encode("user_id");

    private readonly HttpClient _client;
    private readonly SimulationTarget _target;
    private readonly ITrafficPlan _plan;
    private readonly SimulationStats _stats;
    private readonly ArrayBufferWriter<byte> _body = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly int[] _sentByBehaviour = new int[Behaviour.All.Count];

    // Outcomes per behaviour for the request at hand, added to the shared counters once rather than once per event.
    private readonly int[] _outcomes = new int[3 * Behaviour.All.Count];
    private readonly List<IngestResult> _results = [];
    private byte[] _answer = new byte[4096];

    public RequestWorker(HttpClient client, SimulationTarget target, ITrafficPlan plan, SimulationStats stats)
    {
        _client = client;
        _target = target;
        _plan = plan;
        _stats = stats;
        _json = new Utf8JsonWriter(_body, new JsonWriterOptions { SkipValidation = true });
    }

    public async Task SendAsync(TrafficUnit unit, CancellationToken stopping)
    {
        using var request = _plan.BatchSize == 1 ? RouteRequest(unit) : BatchRequest(unit);
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage? response = null;
        int length;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stopping);
            length = await ReadAnswerAsync(response.Content, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            response?.Dispose();
            _stats.Stopped(unit.Count);
            return;
        }
        catch (Exception exception)
        {
            // Every failure is counted by its cause: a load test that hides errors measures nothing.
            response?.Dispose();
            var (cause, unreachable) = FailureCauses.Classify(exception);
            _stats.Unanswered(unreachable);
            RecordAll(unit, Outcome.Failed, cause, exception.Message);
            return;
        }

        using (response)
        {
            _stats.Answered(Stopwatch.GetElapsedTime(started));
            Account(unit, (int)response.StatusCode, _answer.AsSpan(0, length));
        }
    }

    private HttpRequestMessage RouteRequest(TrafficUnit unit)
    {
        var simulated = _plan.EventAt(unit.FirstEvent);
        _stats.Sent(simulated.Behaviour, 1);

        // GET, as Apache Bench sent them; the collector takes the user from the Host header.
        var request = new HttpRequestMessage(HttpMethod.Get, _target.RouteUri(simulated.Behaviour));
        request.Headers.Host = _target.UserName(simulated.User);
        return request;
    }

    private HttpRequestMessage BatchRequest(TrafficUnit unit)
    {
        Array.Clear(_sentByBehaviour);
        _body.ResetWrittenCount();
        _json.Reset(_body);
        _json.WriteStartArray();
        for (var i = 0; i < unit.Count; i++)
        {
            var simulated = _plan.EventAt(unit.FirstEvent + i);
            _sentByBehaviour[simulated.Behaviour.Index]++;
            _json.WriteStartObject();
            _json.WriteString(EventTypeProperty, simulated.Behaviour.EncodedEventType);
            WriteUser(simulated.User);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.Flush();
        for (var i = 0; i < _sentByBehaviour.Length; i++)
        {
            if (_sentByBehaviour[i] > 0)
            {
                _stats.Sent(Behaviour.All[i], _sentByBehaviour[i]);
            }
        }

        var content = new ReadOnlyMemoryContent(_body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, _target.EventsUri) { Content = content };
    }

    private void WriteUser(int user)
    {
        Span<char> name = stackalloc char[16 + _target.Domain.Length];
        _json.WriteString(UserIdProperty, name[.._target.FormatUserName(user, name)]);
    }

    /// <summary>Reads the answer into the worker's buffer: the whole of it, so that the connection can be reused.</summary>
    private async Task<int> ReadAnswerAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var length = 0;
        while (true)
        {
            if (length == _answer.Length)
            {
                Array.Resize(ref _answer, _answer.Length * 2);
            }

            var read = await stream.ReadAsync(_answer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return length;
            }

            length += read;
        }
    }

    private void Account(TrafficUnit unit, int status, ReadOnlySpan<byte> answer)
    {
        var success = status is >= 200 and < 300;
        if (success && _plan.BatchSize == 1)
        {
            _stats.Record(_plan.EventAt(unit.FirstEvent).Behaviour, Outcome.Accepted);
            return;
        }

        var detail = IngestAnswerReader.Read(answer, _results);
        if (_results.Count == 0)
        {
            // No per-event answer: the status speaks for every event in the request.
            var outcome = success ? Outcome.Accepted : status is >= 400 and < 500 ? Outcome.Rejected : Outcome.Failed;
            RecordAll(unit, outcome, success ? null : FailureCauses.Status(status), detail);
            return;
        }

        Array.Clear(_outcomes);
        foreach (var result in _results)
        {
            if (result.Index >= unit.Count)
            {
                continue;
            }

            _outcomes[((int)result.Outcome * Behaviour.All.Count) + _plan.EventAt(unit.FirstEvent + result.Index).Behaviour.Index]++;
            switch (result.Outcome)
            {
                case Outcome.Rejected:
                    _stats.Cause(Outcome.Rejected, FailureCauses.EventRejected, 1, result.Reason);
                    break;
                case Outcome.Failed:
                    _stats.Cause(Outcome.Failed, FailureCauses.Status(status), 1, result.Reason ?? detail);
                    break;
            }
        }

        FlushOutcomes();
    }

    private void RecordAll(TrafficUnit unit, Outcome outcome, string? cause, string? example)
    {
        Array.Clear(_outcomes);
        for (var i = 0; i < unit.Count; i++)
        {
            _outcomes[((int)outcome * Behaviour.All.Count) + _plan.EventAt(unit.FirstEvent + i).Behaviour.Index]++;
        }

        FlushOutcomes();
        if (cause is not null)
        {
            _stats.Cause(outcome, cause, unit.Count, example);
        }
    }

    private void FlushOutcomes()
    {
        for (var i = 0; i < _outcomes.Length; i++)
        {
            if (_outcomes[i] > 0)
            {
                _stats.Record(Behaviour.All[i % Behaviour.All.Count], (Outcome)(i / Behaviour.All.Count), _outcomes[i]);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _json.Dispose();
        return ValueTask.CompletedTask;
    }
}
