using System.Text;

namespace SemanticSearch.Extraction;

/// <summary>
/// Decodes the bytes of a text format strictly: a byte order mark picks UTF-8, UTF-16 or UTF-32, anything else must be
/// valid UTF-8. Bytes that are not text are rejected as <see cref="RejectionReason.Binary"/> rather than indexed as noise.
/// </summary>
internal static class TextDecoder
{
    // Real text has almost no control characters besides tab, line feed, carriage return and form feed;
    // terminal colour codes in a log stay far below this share, binary data lands far above it.
    private const double MaxControlCharacterShare = 0.10;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            return Decode(buffer.AsSpan((int)memory.Position));
        }

        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return Decode(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var (encoding, bomLength) = DetectEncoding(bytes);
        string text;
        try
        {
            text = encoding.GetString(bytes[bomLength..]);
        }
        catch (DecoderFallbackException)
        {
            throw new DocumentRejectedException(
                RejectionReason.Binary,
                $"The file is not valid {encoding.WebName} text; it looks like binary data.");
        }

        RejectIfNotText(text);
        return text;
    }

    private static (Encoding Encoding, int BomLength) DetectEncoding(ReadOnlySpan<byte> bytes)
    {
        // UTF-32 LE must be tested before UTF-16 LE: its mark starts with the same two bytes.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return (new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true), 4);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return (new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true), 4);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (StrictUtf8, 3);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2);
        }

        return (StrictUtf8, 0);
    }

    private static void RejectIfNotText(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new DocumentRejectedException(
                RejectionReason.Binary,
                "The file contains NUL bytes: it is binary data (or UTF-16 text without a byte order mark).");
        }

        var controlCharacters = 0;
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f'))
            {
                controlCharacters++;
            }
        }

        if (text.Length > 0 && controlCharacters > text.Length * MaxControlCharacterShare)
        {
            throw new DocumentRejectedException(
                RejectionReason.Binary,
                $"{controlCharacters} of the file's {text.Length} characters are control characters: it looks like binary data, not text.");
        }
    }
}
