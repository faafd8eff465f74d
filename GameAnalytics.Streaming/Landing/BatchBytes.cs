namespace GameAnalytics.Streaming.Landing;

/// <summary>
/// A batch's bytes in one array, kept from batch to batch: shrinking it and growing it again made garbage on the large
/// object heap faster than full collections freed it. Only an array that large events grew past the limit goes.
/// </summary>
internal sealed class BatchBytes(int initialBytes, int maxKeptBytes)
{
    private byte[] _bytes = new byte[initialBytes];

    public int Length { get; private set; }

    /// <summary>The array itself, for a native writer that reads it pinned; valid until the next append.</summary>
    public byte[] Array => _bytes;

    public ReadOnlySpan<byte> Slice(int start, int length) => _bytes.AsSpan(start, length);

    /// <returns>Where the bytes start.</returns>
    public int Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        return Commit(bytes.Length);
    }

    /// <summary>Room for at most <paramref name="maxLength"/> bytes at the end; <see cref="Commit"/> what was written.</summary>
    public Span<byte> Reserve(int maxLength)
    {
        if (Length + maxLength > _bytes.Length)
        {
            System.Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + maxLength));
        }

        return _bytes.AsSpan(Length, maxLength);
    }

    /// <returns>Where the bytes written start.</returns>
    public int Commit(int written)
    {
        var start = Length;
        Length += written;
        return start;
    }

    /// <summary>Forgets what was appended after <paramref name="length"/>.</summary>
    public void Truncate(int length) => Length = length;

    public void Clear()
    {
        if (_bytes.Length > maxKeptBytes)
        {
            _bytes = new byte[initialBytes];
        }

        Length = 0;
    }
}
