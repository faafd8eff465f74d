// Load generator and verifier for bench/outage.sh (a broker outage under steady load) and bench/apphost-stop.sh.
//
//   dotnet run --project bench/outage -- load --url U --rate R --batch B --connections C --duration S --accepted FILE
//        [--stop-file F] [--requests FILE] [--started FILE] [--users 1000] [--timeout 15]
//     POSTs /v1/events arrays of B events (each with its own client event_id) at R events/s for S seconds, or until
//     F exists. Open loop: a request goes out on schedule whenever fewer than C are outstanding; when C are, the
//     send waits for a slot and the schedule skips the slots it missed (counted as skipped, never sent). No retries:
//     a failed event stays failed. Every event_id the collector answered "accepted" (in a 202, or in a 503's
//     per-event results) is appended to the --accepted file. --requests gets one CSV line per request
//     (send_ms,done_ms,status,events,accepted,failed,rejected; status is the HTTP status, or timeout or error),
//     --started the epoch (ms) of the schedule's start. A line per second goes to stderr, one JSON summary to stdout.
//
//   dotnet run --project bench/outage -- verify --lake DIR --accepted FILE [--wait 0] [--settle 20]
//     Checks with DuckDB that every accepted id is in the lake's committed Parquet. With --wait S it re-reads
//     (only new files) every second until nothing is missing, S seconds passed, or no file appeared for --settle s.
//     Prints JSON: accepted, landed_of_accepted, missing, extra_landed, duplicates, ...
//
//   dotnet run --project bench/outage -- timeline --requests FILE --down MS --up MS [--term-exit MS]
//     From the --requests log: what the clients saw while the broker was down (from --down to --up, epoch ms) and
//     how soon after --up the collector accepted again. Prints JSON.

using System.Globalization;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Length == 0)
{
    return Usage();
}

var options = Options.Parse(args.Skip(1));
try
{
    return args[0] switch
    {
        "load" => await Load.RunAsync(options),
        "verify" => Verify.Run(options),
        "timeline" => Timeline.Run(options),
        _ => Usage(),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: outage load --url U --rate R --batch B --connections C --duration S --accepted FILE [--stop-file F] [--requests FILE] [--started FILE] [--users N] [--timeout S]");
    Console.Error.WriteLine("       outage verify --lake DIR --accepted FILE [--wait S] [--settle S]");
    Console.Error.WriteLine("       outage timeline --requests FILE --down EPOCH_MS --up EPOCH_MS [--term-exit EPOCH_MS]");
    return 2;
}
