using System.Globalization;

namespace SemanticSearch.Extraction;

/// <summary>
/// Reads an upload into memory without ever holding more than one byte past the size limit, so a huge or endless
/// stream is refused after reading at most limit + 1 bytes (or none, when its length is known up front).
/// </summary>
internal static class BoundedStreamReader
{
    private const int InitialBufferBytes = 64 * 1024;

    public static async Task<ArraySegment<byte>> ReadAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        // One array cannot hold more, whatever the configured limit says.
        maxBytes = Math.Min(maxBytes, Array.MaxLength - 1);
        long? knownLength = content.CanSeek ? Math.Max(0, content.Length - content.Position) : null;
        if (knownLength > maxBytes)
        {
            throw TooLarge($"The document is {knownLength} bytes; the limit is {maxBytes} bytes.");
        }

        // Room for one byte more than expected, so that the read which finds the end never has to grow the buffer.
        var readLimit = maxBytes + 1;
        var buffer = new byte[(int)Math.Min(readLimit, knownLength + 1 ?? InitialBufferBytes)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total >= readLimit)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(readLimit, buffer.Length * 2L));
            }

            var read = await content.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        if (total > maxBytes)
        {
            throw TooLarge($"The document is more than {maxBytes} bytes (reading stopped at {total} bytes); the limit is {maxBytes} bytes.");
        }

        return new ArraySegment<byte>(buffer, 0, total);
    }

    private static DocumentRejectedException TooLarge(FormattableString message) =>
        new(RejectionReason.TooLarge, message.ToString(CultureInfo.InvariantCulture));
}
