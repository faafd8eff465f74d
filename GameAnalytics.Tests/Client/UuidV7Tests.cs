using GameAnalytics.Client.Tracking;

namespace GameAnalytics.Tests.Client;

/// <summary>The UUIDv7s that netstandard2.1 builds of the client make, against .NET's own Guid.CreateVersion7.</summary>
public sealed class UuidV7Tests
{
    [Fact]
    public void The_netstandard_ids_have_the_layout_of_dotnets_own_version_7_ids()
    {
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(0, 1L << 47));
            var bits = new byte[16];
            random.NextBytes(bits);

            var ours = UuidV7.From(now, bits).ToString("D");
            var dotnets = Guid.CreateVersion7(now).ToString("D");

            // The time: the first 48 bits, the same as .NET's; the version 7; the RFC variant (10xx).
            Assert.Equal(dotnets[..13], ours[..13]);
            Assert.Equal('7', ours[14]);
            Assert.Contains(ours[19], "89ab");
            Assert.Equal(7, Guid.Parse(ours).Version);
        }
    }

    [Fact]
    public void Later_ids_sort_later_as_text()
    {
        var bits = new byte[16];
        var earlier = UuidV7.From(DateTimeOffset.FromUnixTimeMilliseconds(1_764_900_000_000), bits.Select(_ => (byte)0xFF).ToArray());
        var later = UuidV7.From(DateTimeOffset.FromUnixTimeMilliseconds(1_764_900_000_001), bits);

        Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
    }
}
