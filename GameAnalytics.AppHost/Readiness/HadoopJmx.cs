using System.Text.Json;

namespace Aspire.Hosting;

/// <summary>A Hadoop daemon's MBeans over its web port (<c>/jmx?qry=...</c>), as the namenode and datanode serve them.</summary>
internal static class HadoopJmx
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The bean's attributes, or null when the daemon does not (yet) serve that bean.</summary>
    public static async Task<JsonElement?> BeanAsync(Uri endpoint, string name, CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(endpoint, $"/jmx?qry={Uri.EscapeDataString(name)}"), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var beans = document.RootElement.GetProperty("beans");
        return beans.GetArrayLength() == 0 ? null : beans[0].Clone();
    }
}
