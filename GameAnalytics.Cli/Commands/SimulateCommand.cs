using System.CommandLine;
using System.CommandLine.Parsing;
using GameAnalytics.Cli.Simulation;
using GameAnalytics.Contracts;
using Spectre.Console;

namespace GameAnalytics.Cli.Commands;

/// <summary><c>gamectl simulate</c>: the original's game traffic, or a scaled mix, against the collector.</summary>
internal static class SimulateCommand
{
    public const string CollectorVariable = "GAMECTL_COLLECTOR";
    public const string WriteKeyVariable = "GAMECTL_WRITE_KEY";

    private static readonly string DefaultCollector = $"http://localhost:{DefaultPorts.Collector}";

    public static Command Create(IAnsiConsole console, HttpMessageHandler? handler)
    {
        var collector = new Option<Uri>("--collector")
        {
            Description = $"The event collector [env: {CollectorVariable}]",
            DefaultValueFactory = _ => Uri.TryCreate(Environment.GetEnvironmentVariable(CollectorVariable), UriKind.Absolute, out var fromEnvironment)
                ? fromEnvironment : new Uri(DefaultCollector),
            CustomParser = result =>
            {
                if (Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                result.AddError($"--collector must be an absolute http(s) URL, such as {DefaultCollector}");
                return null;
            },
        };
        var rounds = new Option<int?>("--rounds") { Description = "Original scenario: stop after this many rounds" };
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "Original scenario: time between rounds, as the original's sleep 10",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
            CustomParser = result => ParseDuration(result, "--interval") ?? TimeSpan.Zero,
        };
        var duration = new Option<TimeSpan?>("--duration") { Description = "Stop after this long: 30s, 5m, 1h", CustomParser = result => ParseDuration(result, "--duration") };
        var users = new Option<int?>("--users") { Description = "Scaled scenario: how many users (default 1000)" };
        var mix = new Option<BehaviourMix?>("--mix")
        {
            Description = $"Scaled scenario: behaviour weights (default the original's ratios, {BehaviourMix.Original})",
            CustomParser = result =>
            {
                if (BehaviourMix.TryParse(result.Tokens.Single().Value, out var parsed, out var error))
                {
                    return parsed;
                }

                result.AddError(error);
                return null;
            },
        };
        var rate = new Option<double?>("--rate") { Description = "Scaled scenario: target events per second (default as fast as possible)" };
        var events = new Option<long?>("--events") { Description = "Scaled scenario: stop after this many events" };
        var batch = new Option<int?>("--batch") { Description = "Events per request: 1 sends each to its original route, more POST /v1/events (at most 1000)" };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections, one worker each", DefaultValueFactory = _ => 16 };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long a request may take before it counts as failed",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
            CustomParser = result => ParseDuration(result, "--timeout") ?? TimeSpan.Zero,
        };
        var writeKey = new Option<string?>("--write-key")
        {
            Description = $"The game's write key, for a collector that requires one [env: {WriteKeyVariable}]",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(WriteKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null,
        };
        var spool = new Option<string?>("--spool")
        {
            Description = "With --batch: a folder where the client library keeps unsent events across runs, as a game does (default: memory)",
        };
        var json = new Option<string?>("--json") { Description = "Also write the summary to this file as JSON" };
        var domain = new Option<string>("--domain") { Description = "User names are user<N>.<domain>, as the original's Host headers", DefaultValueFactory = _ => "datafun.com" };
        var seed = new Option<int>("--seed") { Description = "Scaled scenario: the seed of the users' and behaviours' sequence" };

        AtLeast(rounds, 1);
        AtLeast(users, 1);
        AtLeast(events, 1);
        AtLeast(connections, 1);
        rate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value && (!double.IsFinite(value) || value <= 0))
            {
                result.AddError("--rate must be a number of events per second above 0.");
            }
        });
        batch.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value is < 1 or > 1000)
            {
                result.AddError($"--batch must be 1 to 1000 (the collector accepts at most 1000 events per request), not {value}.");
            }
        });
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<TimeSpan>() <= TimeSpan.Zero)
            {
                result.AddError("--timeout must be above 0.");
            }
        });
        domain.Validators.Add(result =>
        {
            if (Uri.CheckHostName(result.GetValueOrDefault<string>()) != UriHostNameType.Dns)
            {
                result.AddError("--domain must be a DNS name, such as datafun.com.");
            }
        });

        var command = new Command("simulate", "Send game traffic to the collector: the original's, or many users at a target rate")
        {
            collector, writeKey, rounds, interval, duration, users, mix, rate, events, batch, connections, timeout, spool, json, domain, seed,
        };

        Option[] scaledOnly = [users, mix, rate, events, batch, seed];
        bool Given(CommandResult result, Option option) => result.GetResult(option) is { Implicit: false };
        command.Validators.Add(result =>
        {
            var scaled = scaledOnly.Where(option => Given(result, option)).Select(option => option.Name).ToList();
            var original = new Option[] { rounds, interval }.Where(option => Given(result, option)).Select(option => option.Name).ToList();
            if (scaled.Count > 0 && original.Count > 0)
            {
                result.AddError(
                    $"{string.Join(" and ", original)} {(original.Count == 1 ? "belongs" : "belong")} to the original scenario (users 1 to 3, a round every interval), " +
                    $"{string.Join(", ", scaled)} to the scaled one: bound a scaled run with --events or --duration instead.");
            }
        });

        command.Validators.Add(result =>
        {
            if (Given(result, spool) && (result.GetValue(batch) ?? 1) < 2)
            {
                result.AddError("--spool keeps the client library's unsent batches: use it with --batch 2 or more.");
            }
        });

        command.SetAction(async (parsed, cancellationToken) =>
        {
            var scaled = scaledOnly.Any(option => Given(parsed.CommandResult, option));
            var settings = new SimulationSettings
            {
                Collector = parsed.GetValue(collector)!,
                Original = !scaled,
                Rounds = parsed.GetValue(rounds),
                Interval = parsed.GetValue(interval),
                Duration = parsed.GetValue(duration),
                Users = parsed.GetValue(users) ?? 1000,
                Mix = parsed.GetValue(mix) ?? BehaviourMix.Original,
                Rate = parsed.GetValue(rate),
                Events = parsed.GetValue(events),
                Batch = parsed.GetValue(batch) ?? 1,
                Connections = parsed.GetValue(connections),
                Timeout = parsed.GetValue(timeout),
                Domain = parsed.GetValue(domain)!,
                Seed = unchecked((ulong)parsed.GetValue(seed)),
                JsonPath = parsed.GetValue(json),
                WriteKey = parsed.GetValue(writeKey),
                Spool = parsed.GetValue(spool),
            };
            using var interrupt = new InterruptSignal(cancellationToken);
            return await new Simulator(console, handler).RunAsync(settings, interrupt.Token);
        });
        return command;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result, string name)
    {
        var text = result.Tokens.Single().Value;
        if (DurationText.TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"{name} '{text}' is not a duration: write 500ms, 30s, 5m, 1h30m or 00:05:00.");
        return null;
    }

    private static void AtLeast<T>(Option<T> option, long minimum)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (value is not null && Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum}, not {value}.");
            }
        });
    }
}
