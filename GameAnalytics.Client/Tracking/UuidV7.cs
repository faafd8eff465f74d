using System.Security.Cryptography;

namespace GameAnalytics.Client.Tracking;

/// <summary>
/// RFC 9562 version 7 UUIDs: the Unix time in milliseconds, then random bits. Ids made in a later millisecond sort
/// later, which keeps the lake's files roughly in id order.
/// </summary>
internal static class UuidV7
{
    public static Guid New(DateTimeOffset now)
    {
#if NET9_0_OR_GREATER
        return Guid.CreateVersion7(now);
#else
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return From(now, random);
#endif
    }

    /// <summary>The UUID of <paramref name="now"/> with these random bits: what netstandard2.1, which lacks Guid.CreateVersion7, uses.</summary>
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
