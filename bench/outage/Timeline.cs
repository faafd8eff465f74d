using System.Globalization;
using System.Text.Json.Nodes;

static class Timeline
{
    public static int Run(Options o)
    {
        var all = RequestRecord.ReadAll(o.Required("requests")).ToList();
        var down = (long)o.Number("down");
        var up = (long)o.Number("up");
        var termExit = o.Get("term-exit") is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : (long?)null;

        JsonObject Answers(IEnumerable<RequestRecord> records)
        {
            var list = records.ToList();
            var byStatus = new JsonObject();
            foreach (var group in list.GroupBy(r => r.StatusText).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                byStatus[group.Key] = group.Count();
            }

            return new JsonObject
            {
                ["requests"] = list.Count,
                ["by_status"] = byStatus,
                ["accepted"] = list.Sum(r => r.Accepted),
                ["failed"] = list.Sum(r => r.Failed),
                ["unanswered"] = list.Where(r => r.Status <= 0).Sum(r => r.Events),
            };
        }

        // Recovery: the first answer after the broker was back that accepted anything, and from when on every request
        // sent was accepted whole (the send time after the last one that was not).
        var firstAccepted = all.Where(r => r.DoneMs >= up && r.Accepted > 0).Select(r => (long?)r.DoneMs).Min();
        var lastNotAccepted = all.Where(r => r.SendMs >= up && r.Accepted < r.Events).Select(r => (long?)r.SendMs).Max();
        var sentAfterUp = all.Count(r => r.SendMs >= up);
        var result = new JsonObject
        {
            ["down_s"] = Math.Round((up - down) / 1000.0, 2),
            ["before_down"] = Answers(all.Where(r => r.DoneMs < down)),
            // Answered while the broker was down; a 2xx answered over a second after it went down is suspect:
            // a stopped broker acknowledges nothing (a second covers acks already on their way).
            ["while_down"] = Answers(all.Where(r => r.DoneMs >= down && r.DoneMs < up)),
            ["accepted_answered_1s_after_down"] = all.Where(r => r.DoneMs >= down + 1000 && r.DoneMs < up).Sum(r => r.Accepted),
            ["after_up"] = Answers(all.Where(r => r.DoneMs >= up)),
            ["first_accepted_after_up_s"] = firstAccepted is { } f ? Math.Round((f - up) / 1000.0, 2) : null,
            ["all_accepted_from_s"] = sentAfterUp == 0 ? null : lastNotAccepted is { } l ? Math.Round((l - up) / 1000.0 + 0.001, 2) : 0,
            ["requests_sent_after_up"] = sentAfterUp,
        };
        if (termExit is { } exit)
        {
            // A graceful stop: what the clients got between SIGTERM and the broker's exit (it should refuse, not ack).
            result["between_term_and_exit"] = Answers(all.Where(r => r.DoneMs >= down && r.DoneMs < exit));
        }

        Console.WriteLine(Json.Print(result));
        return 0;
    }
}
