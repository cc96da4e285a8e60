namespace SemanticSearch.Tests.Extraction;

/// <summary>A stream of <c>length</c> letters that records how much was read from it; seekable or not.</summary>
internal sealed class ProbeStream(long length, bool canSeek) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => canSeek;

    public override bool CanWrite => false;

    public override long Length => canSeek ? length : throw new NotSupportedException();

    public override long Position
    {
        get => canSeek ? BytesRead : throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var available = (int)Math.Min(count, length - BytesRead);
        buffer.AsSpan(offset, available).Fill((byte)'a');
        BytesRead += available;
        return available;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
