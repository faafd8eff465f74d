// Prints a topic's low and high watermarks, per partition and summed, as one JSON line (for bench/landing.sh).
// Usage: dotnet run bench/kafka-offsets.cs -- <bootstrap servers> <topic>
// The sum of the high watermarks is how many records were ever produced (no transactions, so no control
// records); a low watermark above 0 means the broker dropped the partition's oldest records.
#:package Confluent.Kafka@2.16.0
// The repository pins versions centrally (Directory.Packages.props); a file-based app states its own. Never published: no AOT.
#:property ManagePackageVersionsCentrally=false
#:property PublishAot=false
using Confluent.Kafka;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: kafka-offsets.cs <bootstrap servers> <topic>");
    return 2;
}

var (servers, topic) = (args[0], args[1]);
var timeout = TimeSpan.FromSeconds(10);
using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers }).SetLogHandler((_, _) => { }).Build();
var partitions = admin.GetMetadata(topic, timeout).Topics.Single().Partitions.Select(p => p.PartitionId).Order().ToArray();
if (partitions.Length == 0)
{
    Console.Error.WriteLine($"topic {topic} has no partitions");
    return 1;
}

// Querying watermarks neither joins the group nor commits anything.
using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = servers, GroupId = "bench-kafka-offsets" })
    .SetLogHandler((_, _) => { }).Build();
var low = new long[partitions.Length];
var high = new long[partitions.Length];
for (var i = 0; i < partitions.Length; i++)
{
    var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partitions[i]), timeout);
    (low[i], high[i]) = (watermarks.Low.Value, watermarks.High.Value);
}

Console.WriteLine($"{{\"topic\":\"{topic}\",\"partitions\":{partitions.Length},\"low_sum\":{low.Sum()},\"high_sum\":{high.Sum()},\"low\":[{string.Join(",", low)}],\"high\":[{string.Join(",", high)}]}}");
return 0;
