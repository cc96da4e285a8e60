using SemanticSearch.Extraction;

namespace SemanticSearch.Ingestion;

/// <summary>Reads a whole upload into memory, refusing to read past the size limit (the stream may not know its length).</summary>
internal static class BoundedReader
{
    public static async Task<byte[]> ReadAllAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        if (content.CanSeek && content.Length - content.Position > maxBytes)
        {
            throw TooLarge(content.Length - content.Position, maxBytes);
        }
        using var buffer = content.CanSeek ? new MemoryStream((int)Math.Min(content.Length - content.Position, maxBytes)) : new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(null, maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static DocumentRejectedException TooLarge(long? size, long maxBytes) => new(
        RejectionReason.TooLarge,
        size is { } known
            ? $"The document is {known:N0} bytes; the limit (Ingestion:MaxDocumentBytes) is {maxBytes:N0} bytes."
            : $"The document is larger than the limit (Ingestion:MaxDocumentBytes) of {maxBytes:N0} bytes.");
}
