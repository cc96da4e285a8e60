using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;
using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class DocumentExtractorTests
{
    private static readonly string[] BuiltInExtensions = [".docx", ".htm", ".html", ".json", ".markdown", ".md", ".pdf", ".text", ".txt"];

    [Fact]
    public void TheDefaultExtractorSupportsEveryBuiltInFormatCaseInsensitively()
    {
        var extractor = DocumentExtractor.CreateDefault();

        Assert.Equal(BuiltInExtensions, extractor.SupportedExtensions);
        Assert.True(extractor.IsSupported("reports/2024/Annual.PDF"));
        Assert.True(extractor.IsSupported("notes.Md"));
        Assert.False(extractor.IsSupported("setup.exe"));
        Assert.False(extractor.IsSupported("Makefile"));
        Assert.False(extractor.IsSupported("archive.pdf.zip"));
    }

    [Theory]
    [InlineData("setup.exe", "'.exe'")]
    [InlineData("photo.PNG", "'.png'")]
    [InlineData("Makefile", "no extension")]
    public async Task UnknownExtensionsAreUnsupportedAndTheMessageListsTheSupportedOnes(string documentId, string named)
    {
        var rejection = await RejectAsync(documentId, "some content");

        Assert.Equal(RejectionReason.Unsupported, rejection.Reason);
        Assert.Contains(named, rejection.Message, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", BuiltInExtensions), rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.txt")]
    [InlineData("empty.md")]
    [InlineData("empty.html")]
    [InlineData("empty.pdf")]
    [InlineData("empty.docx")]
    [InlineData("empty.json")]
    public async Task AZeroByteFileIsEmpty(string documentId)
    {
        var rejection = await RejectAsync(documentId, []);

        Assert.Equal(RejectionReason.Empty, rejection.Reason);
        Assert.Contains("0 bytes", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("blank.txt", " \n\t\r\n  \n")]
    [InlineData("blank.html", "<html><body><script>only()</script><p>   </p></body></html>")]
    [InlineData("blank.md", "---\n\n<!-- a comment -->\n")]
    public async Task AFileWithNoTextLeftAfterExtractionIsEmpty(string documentId, string content)
    {
        var rejection = await RejectAsync(documentId, content);

        Assert.Equal(RejectionReason.Empty, rejection.Reason);
        Assert.Contains("no text", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADocumentLongerThanTheByteLimitIsTooLargeWithoutBeingReadWhenItsLengthIsKnown()
    {
        var extractor = DocumentExtractor.CreateDefault(new IngestionOptions { MaxDocumentBytes = 1000 });
        var content = new ProbeStream(length: 5_000_000_000, canSeek: true);

        var rejection = await Assert.ThrowsAsync<DocumentRejectedException>(() => extractor.ExtractAsync("huge.txt", content));

        Assert.Equal(RejectionReason.TooLarge, rejection.Reason);
        Assert.Contains("5000000000 bytes", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("1000 bytes", rejection.Message, StringComparison.Ordinal);
        Assert.Equal(0, content.BytesRead);
    }

    [Fact]
    public async Task AnUnsupportedUploadIsRefusedAsUnsupportedBeforeAByteIsReadWhateverItsSize()
    {
        var extractor = DocumentExtractor.CreateDefault(new IngestionOptions { MaxDocumentBytes = 1000 });
        var content = new ProbeStream(length: 5_000_000_000, canSeek: false);

        var rejection = await Assert.ThrowsAsync<DocumentRejectedException>(() => extractor.ReadAsync("disk.iso", content));

        Assert.Equal(RejectionReason.Unsupported, rejection.Reason);
        Assert.Equal(0, content.BytesRead);
    }

    [Fact]
    public async Task AnEndlessStreamIsTooLargeAfterReadingOneBytePastTheLimit()
    {
        var extractor = DocumentExtractor.CreateDefault(new IngestionOptions { MaxDocumentBytes = 100_000 });
        var content = new ProbeStream(length: long.MaxValue, canSeek: false);

        var rejection = await Assert.ThrowsAsync<DocumentRejectedException>(() => extractor.ExtractAsync("endless.txt", content));

        Assert.Equal(RejectionReason.TooLarge, rejection.Reason);
        Assert.Contains("more than 100000 bytes", rejection.Message, StringComparison.Ordinal);
        Assert.Equal(100_001, content.BytesRead);
    }

    [Fact]
    public async Task ANonSeekableStreamWithinTheLimitIsReadWhole()
    {
        var extractor = DocumentExtractor.CreateDefault(new IngestionOptions { MaxDocumentBytes = 300_000 });
        var content = new ProbeStream(length: 300_000, canSeek: false);

        var document = await extractor.ExtractAsync("letters.txt", content);

        Assert.Equal(300_000, document.CharacterCount);
        Assert.Equal(300_000, content.BytesRead);
    }

    [Fact]
    public async Task ADocumentOfExactlyTheByteLimitIsAccepted()
    {
        var bytes = Encoding.UTF8.GetBytes("exactly fits");

        var document = await ExtractAsync("fits.txt", bytes, new IngestionOptions { MaxDocumentBytes = bytes.Length });

        Assert.Equal([Paragraph("exactly fits")], document.Blocks);
    }

    [Fact]
    public async Task MoreExtractedTextThanTheCharacterLimitIsTooLarge()
    {
        var text = string.Join("\n\n", Enumerable.Repeat("Ten chars.", 20));

        var rejection = await RejectAsync("long.txt", text, new IngestionOptions { MaxExtractedCharacters = 150 });

        Assert.Equal(RejectionReason.TooLarge, rejection.Reason);
        Assert.Contains("200 characters", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("150", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlockTextIsComposedToNfcWithWhitespaceCollapsedAndTheIdKept()
    {
        var text = "  Cafe\u0301\u00A0au\tlait  \n costs\u2003two   euros \n\n \u0007 \n\nfin";

        var document = await ExtractAsync("menus/café.txt", text);

        Assert.Equal("menus/café.txt", document.DocumentId);
        Assert.Equal([Paragraph("Caf\u00E9 au lait costs two euros"), Paragraph("fin")], document.Blocks);
        Assert.Equal(31, document.CharacterCount);
    }

    [Fact]
    public async Task AnUnexpectedParserExceptionIsWrappedAsCorrupt()
    {
        var failure = new InvalidOperationException("parser fell over");
        var extractor = WithExtractor(new ThrowingExtractor(".bin", failure));

        var rejection = await Assert.ThrowsAsync<DocumentRejectedException>(
            () => extractor.ExtractAsync("data.bin", new MemoryStream([1, 2, 3])));

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
        Assert.Same(failure, rejection.InnerException);
        Assert.Contains(".bin", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("parser fell over", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellationInsideAnExtractorPassesThrough()
    {
        var extractor = WithExtractor(new ThrowingExtractor(".bin", new OperationCanceledException()));

        await Assert.ThrowsAsync<OperationCanceledException>(() => extractor.ExtractAsync("data.bin", new MemoryStream([1])));
    }

    [Fact]
    public async Task ACancelledTokenStopsExtraction()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => DocumentExtractor.CreateDefault().ExtractAsync("a.txt", new MemoryStream("text"u8.ToArray()), cancellation.Token));
    }

    [Fact]
    public async Task TheExtractorRegisteredLastForAnExtensionWins()
    {
        var replacement = new ThrowingExtractor(".TXT", new InvalidOperationException("replacement used"));
        using var services = new ServiceCollection()
            .AddDocumentExtraction()
            .AddSingleton<ITextExtractor>(replacement)
            .BuildServiceProvider();
        var extractor = services.GetRequiredService<DocumentExtractor>();

        var rejection = await Assert.ThrowsAsync<DocumentRejectedException>(
            () => extractor.ExtractAsync("a.txt", new MemoryStream("text"u8.ToArray())));

        Assert.Equal("replacement used", rejection.InnerException?.Message);
        Assert.Equal(BuiltInExtensions, extractor.SupportedExtensions);
    }

    private static DocumentExtractor WithExtractor(ITextExtractor extractor) =>
        new(Options.Create(new IngestionOptions()), [extractor]);

    private sealed class ThrowingExtractor(string extension, Exception failure) : ITextExtractor
    {
        public IReadOnlyCollection<string> Extensions { get; } = [extension];

        public ExtractedContent Extract(Stream content, CancellationToken cancellationToken) => throw failure;
    }
}
