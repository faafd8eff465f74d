using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace GameAnalytics.ServiceDefaults.Telemetry;

/// <summary>
/// Exports the span of a failed or rejected request even when its trace was not sampled: the exporters skip only
/// spans without the recorded flag, and the flag can still be set before the span ends.
/// </summary>
internal static class FailureTracing
{
    public static void ExportIfFailed(Activity activity, HttpResponse response)
    {
        if (response.StatusCode >= StatusCodes.Status400BadRequest)
        {
            Export(activity);
        }
    }

    public static void Export(Activity activity) => activity.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
}
