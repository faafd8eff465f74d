using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Aspire.Hosting;
using GameAnalytics.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GameAnalytics.Tests.AppHost;

/// <summary>
/// The containers topology's readiness checks. HDFS's are asked against a web server that answers /jmx as Hadoop
/// 3.4's JMXJsonServlet does (beans and attributes as FSNamesystem, NameNodeInfo and DataNode publish them);
/// Presto's against a real Presto-protocol server, the query service.
/// </summary>
public sealed class ReadinessProbeTests : IClassFixture<QueryServiceProcess>, IAsyncLifetime
{
    private readonly QueryServiceProcess _query;
    private readonly Dictionary<string, object> _beans = [];
    private readonly int _port = TestPorts.Free();
    private WebApplication _hadoop = null!;

    public ReadinessProbeTests(QueryServiceProcess query) => _query = query;

    private Uri Hadoop => new($"http://127.0.0.1:{_port}");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Hadoop.ToString());
        _hadoop = builder.Build();
        _hadoop.MapGet("/jmx", (HttpContext context) =>
        {
            var query = context.Request.Query["qry"].ToString();
            var beans = _beans.TryGetValue(query, out var bean) ? new[] { bean } : [];
            return Results.Text(JsonSerializer.Serialize(new { beans }), "application/json");
        });
        await _hadoop.StartAsync();
    }

    [Fact]
    public async Task The_namenode_is_ready_only_out_of_safe_mode_with_a_live_datanode()
    {
        var probe = new NamenodeReadinessProbe();
        Assert.Equal(HealthStatus.Unhealthy, (await probe.ProbeAsync(Hadoop, default)).Status);

        // A datanode registered, its blocks not all reported yet: renames and deletes still fail.
        NameNode(safeMode: "Safe mode is ON. The reported blocks 0 needs additional 1 blocks to reach the threshold 0.9990 of total blocks 1.", liveDatanodes: 1);
        var inSafeMode = await probe.ProbeAsync(Hadoop, default);
        Assert.Equal(HealthStatus.Unhealthy, inSafeMode.Status);
        Assert.StartsWith("The namenode is in safe mode", inSafeMode.Description, StringComparison.Ordinal);

        NameNode(safeMode: "", liveDatanodes: 0);
        var noDatanode = await probe.ProbeAsync(Hadoop, default);
        Assert.Equal(HealthStatus.Unhealthy, noDatanode.Status);
        Assert.Contains("no datanode", noDatanode.Description, StringComparison.Ordinal);

        NameNode(safeMode: "", liveDatanodes: 1);
        Assert.Equal(HealthStatus.Healthy, (await probe.ProbeAsync(Hadoop, default)).Status);
    }

    [Fact]
    public async Task The_datanode_is_ready_once_registered_with_its_namenode()
    {
        var probe = new DatanodeReadinessProbe();
        Assert.Equal(HealthStatus.Unhealthy, (await probe.ProbeAsync(Hadoop, default)).Status);

        DataNode("CONNECTING");
        Assert.Equal(HealthStatus.Unhealthy, (await probe.ProbeAsync(Hadoop, default)).Status);

        DataNode("RUNNING");
        Assert.Equal(HealthStatus.Healthy, (await probe.ProbeAsync(Hadoop, default)).Status);
    }

    [Fact]
    public async Task Presto_is_ready_when_it_answers_a_query_over_the_hive_catalog()
    {
        var ready = await new PrestoReadinessProbe().ProbeAsync(_query.BaseAddress, default);

        Assert.Equal(HealthStatus.Healthy, ready.Status);
    }

    [Fact]
    public async Task A_web_port_that_is_not_presto_is_not_ready()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => new PrestoReadinessProbe().ProbeAsync(Hadoop, default));
    }

    [Fact]
    public async Task The_metastore_is_ready_when_its_port_accepts_connections()
    {
        var probe = new TcpReadinessProbe();
        var port = TestPorts.Free();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ProbeAsync(new Uri($"tcp://127.0.0.1:{port}"), default));

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            Assert.Equal(HealthStatus.Healthy, (await probe.ProbeAsync(new Uri($"tcp://127.0.0.1:{port}"), default)).Status);
        }
        finally
        {
            listener.Stop();
        }
    }

    private void NameNode(string safeMode, int liveDatanodes)
    {
        _beans["Hadoop:service=NameNode,name=NameNodeInfo"] = new Dictionary<string, object>
        {
            ["name"] = "Hadoop:service=NameNode,name=NameNodeInfo",
            ["modelerType"] = "org.apache.hadoop.hdfs.server.namenode.FSNamesystem",
            ["Safemode"] = safeMode,
            ["Version"] = "3.4.1",
        };
        _beans["Hadoop:service=NameNode,name=FSNamesystemState"] = new Dictionary<string, object>
        {
            ["name"] = "Hadoop:service=NameNode,name=FSNamesystemState",
            ["modelerType"] = "org.apache.hadoop.hdfs.server.namenode.FSNamesystem",
            ["FSState"] = safeMode.Length > 0 ? "safeMode" : "Operational",
            ["NumLiveDataNodes"] = liveDatanodes,
            ["NumDeadDataNodes"] = 0,
        };
    }

    private void DataNode(string actorState) =>
        _beans["Hadoop:service=DataNode,name=DataNodeInfo"] = new Dictionary<string, object>
        {
            ["name"] = "Hadoop:service=DataNode,name=DataNodeInfo",
            ["modelerType"] = "org.apache.hadoop.hdfs.server.datanode.DataNode",
            // A JSON text inside the bean, as DataNode.getBPServiceActorInfo() returns it.
            ["BPServiceActorInfo"] = JsonSerializer.Serialize(new[]
            {
                new Dictionary<string, string>
                {
                    ["NamenodeAddress"] = "namenode:8020",
                    ["BlockPoolID"] = "BP-1-172.18.0.2-1764900000000",
                    ["ActorState"] = actorState,
                    ["LastHeartbeat"] = "1",
                    ["LastBlockReport"] = "12",
                },
            }),
        };

    public async Task DisposeAsync() => await _hadoop.DisposeAsync();
}
