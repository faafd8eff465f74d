using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Collector;

internal sealed class CollectorOptionsValidator : IValidateOptions<CollectorOptions>
{
    public const int MinKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, CollectorOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBodyBytes <= 0)
        {
            failures.Add($"{CollectorOptions.SectionName}:MaxBodyBytes must be positive.");
        }

        if (options.MaxBatchEvents <= 0)
        {
            failures.Add($"{CollectorOptions.SectionName}:MaxBatchEvents must be positive.");
        }

        if (options.MaxConcurrentRequests <= 0)
        {
            failures.Add($"{CollectorOptions.SectionName}:MaxConcurrentRequests must be positive.");
        }

        if (options.RateLimit.EventsPerSecond < 0)
        {
            failures.Add($"{CollectorOptions.SectionName}:RateLimit:EventsPerSecond must be positive, or 0 for no limit.");
        }
        else if (options.RateLimit.IsEnabled && options.RateLimit.Burst < options.MaxBatchEvents)
        {
            failures.Add($"{CollectorOptions.SectionName}:RateLimit:Burst ({options.RateLimit.Burst}) must be at least {CollectorOptions.SectionName}:MaxBatchEvents ({options.MaxBatchEvents}), or a full batch could never be sent.");
        }

        var sensitive = options.HeaderAllowlist.Where(SensitiveHeaders.IsSensitive).ToArray();
        if (sensitive.Length > 0)
        {
            failures.Add($"{CollectorOptions.SectionName}:HeaderAllowlist names headers that carry credentials, which are never stored: {string.Join(", ", sensitive)}");
        }

        if (options.WriteKeys.Count == 0 && !options.AllowAnonymous)
        {
            failures.Add($"{CollectorOptions.SectionName}:WriteKeys is empty and {CollectorOptions.SectionName}:AllowAnonymous is false: no request could write.");
        }

        var weak = options.WriteKeys.Where(pair => pair.Value.Length < MinKeyLength || string.IsNullOrWhiteSpace(pair.Key)).Select(pair => pair.Key).ToArray();
        if (weak.Length > 0)
        {
            failures.Add($"{CollectorOptions.SectionName}:WriteKeys must name each game and give it a key of at least {MinKeyLength} characters: {string.Join(", ", weak)}");
        }

        if (options.WriteKeys.Values.Distinct(StringComparer.Ordinal).Count() != options.WriteKeys.Count)
        {
            failures.Add($"{CollectorOptions.SectionName}:WriteKeys gives two games the same key.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
