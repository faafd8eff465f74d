using Microsoft.Extensions.Options;

namespace GameAnalytics.Api.Collector;

internal sealed class CollectorOptionsValidator : IValidateOptions<CollectorOptions>
{
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

        var sensitive = options.HeaderAllowlist.Where(SensitiveHeaders.IsSensitive).ToArray();
        if (sensitive.Length > 0)
        {
            failures.Add($"{CollectorOptions.SectionName}:HeaderAllowlist names headers that carry credentials, which are never stored: {string.Join(", ", sensitive)}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
