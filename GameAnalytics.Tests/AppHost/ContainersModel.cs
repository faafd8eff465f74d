using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace GameAnalytics.Tests.AppHost;

/// <summary>
/// The containers topology's model, built by the real AppHost without starting anything (our machines have no
/// container runtime): what each container is given, as a manifest would write it.
/// </summary>
public sealed class ContainersModel : IAsyncLifetime
{
    private IDistributedApplicationTestingBuilder _appHost = null!;

    public async Task InitializeAsync() =>
        _appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GameAnalytics_AppHost>(
            ["--Topology=containers", "--DcpPublisher:ContainerRuntimeInitializationTimeout=00:00:00"]);

    public IEnumerable<IResource> Resources => _appHost.Resources;

    public IResource Resource(string name) => _appHost.Resources.Single(resource => resource.Name == name);

    /// <summary>A resource's environment; references stay expressions such as <c>{presto.bindings.http.url}</c>.</summary>
    public async Task<Dictionary<string, string>> EnvironmentAsync(string name)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish));
        foreach (var callback in Resource(name).Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => Text(variable.Value));
    }

    public async Task<IReadOnlyList<string>> ArgsAsync(string name)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args);
        foreach (var callback in Resource(name).Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return args.Select(Text).ToList();
    }

    /// <summary>What the container runtime is told besides the image: <c>--memory=2g</c>, for example.</summary>
    public async Task<IReadOnlyList<string>> RuntimeArgsAsync(string name)
    {
        var args = new List<object>();
        var context = new ContainerRuntimeArgsCallbackContext(args);
        foreach (var callback in Resource(name).Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return args.Select(Text).ToList();
    }

    /// <summary>The file or folder a bind mount's target comes from, in the repository.</summary>
    public string MountedSource(string name, string target) =>
        Resource(name).Annotations.OfType<ContainerMountAnnotation>().Single(mount => mount.Target == target).Source!;

    public IEnumerable<ContainerMountAnnotation> Volumes(string name) =>
        Resource(name).Annotations.OfType<ContainerMountAnnotation>().Where(mount => mount.Type == ContainerMountType.Volume);

    public int TargetPort(string name, string endpoint) =>
        Resource(name).Annotations.OfType<EndpointAnnotation>().Single(annotation => annotation.Name == endpoint).TargetPort!.Value;

    private static string Text(object value) => value switch
    {
        string text => text,
        IManifestExpressionProvider expression => expression.ValueExpression,
        var other => other.ToString() ?? "",
    };

    public async Task DisposeAsync() => await _appHost.DisposeAsync();
}
