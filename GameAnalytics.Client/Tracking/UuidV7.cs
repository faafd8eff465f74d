using System.Security.Cryptography;

namespace GameAnalytics.Client.Tracking;

/// <summary>
/// RFC 9562 version 7 UUIDs: the Unix time in milliseconds, then random bits. Ids made in a later millisecond sort
/// later, which keeps the lake's files roughly in id order.
/// </summary>
internal static class UuidV7
{
    private const int RandomBufferSize = 16 * 256;

    // Random bits fetched 256 ids at a time: one system call per id cost more than the rest of tracking an event.
    [ThreadStatic]
    private static byte[]? _random;

    [ThreadStatic]
    private static int _used;

    public static Guid New(DateTimeOffset now)
    {
        if (_random is null || _used == RandomBufferSize)
        {
            _random ??= new byte[RandomBufferSize];
            RandomNumberGenerator.Fill(_random);
            _used = 0;
        }

        var id = From(now, _random.AsSpan(_used, 16));
        _used += 16;
        return id;
    }

    /// <summary>The UUID of <paramref name="now"/> with these random bits (as Guid.CreateVersion7 lays them out; netstandard2.1 lacks it).</summary>
    internal static Guid From(DateTimeOffset now, ReadOnlySpan<byte> random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random[..16].CopyTo(bytes);
        var milliseconds = now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);

        // Guid's constructor reads its first three fields as numbers; the UUID's bytes are big-endian.
        return new Guid(
            (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3],
            (short)((bytes[4] << 8) | bytes[5]),
            (short)((bytes[6] << 8) | bytes[7]),
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    }
}
