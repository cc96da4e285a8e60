using System.Text;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;
using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class DocumentExtractorTests
{
    private static readonly string[] BuiltInExtensions = [".docx", ".htm", ".html", ".json", ".markdown", ".md", ".pdf", ".text", ".txt"];

    [Fact]
    public void The_default_extractor_supports_every_built_in_format_case_insensitively()
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
    public async Task Unknown_extensions_are_unsupported_and_the_message_lists_the_supported_ones(string documentId, string named)
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
    public async Task A_zero_byte_file_is_empty(string documentId)
    {
        var rejection = await RejectAsync(documentId, []);

        Assert.Equal(RejectionReason.Empty, rejection.Reason);
        Assert.Contains("0 bytes", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("blank.txt", " \n\t\r\n  \n")]
    [InlineData("blank.html", "<html><body><script>only()</script><p>   </p></body></html>")]
    [InlineData("blank.md", "---\n\n<!-- a comment -->\n")]
    public async Task A_file_with_no_text_left_after_extraction_is_empty(string documentId, string content)
    {
        var rejection = await RejectAsync(documentId, content);

        Assert.Equal(RejectionReason.Empty, rejection.Reason);
        Assert.Contains("no text", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_document_longer_than_the_byte_limit_is_too_large_without_being_read_when_its_length_is_known()
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
    public async Task An_unsupported_upload_is_refused_as_unsupported_before_a_byte_is_read_whatever_its_size()
    {
        var extractor = DocumentExtractor.CreateDefault(new IngestionOptions { MaxDocumentBytes = 1000 });
        var content = new ProbeStream(length: 5_000_000_000, canSeek: false);

        var rejection = await Assert.ThrowsAsync<DocumentRejectedException>(() => extractor.ReadAsync("disk.iso", content));

        Assert.Equal(RejectionReason.Unsupported, rejection.Reason);
        Assert.Equal(0, content.BytesRead);
    }

    [Fact]
    public async Task An_endless_stream_is_too_large_after_reading_one_byte_past_the_limit()
    {
        var extractor = DocumentExtractor.CreateDefault(new IngestionOptions { MaxDocumentBytes = 100_000 });
        var content = new ProbeStream(length: long.MaxValue, canSeek: false);

        var rejection = await Assert.ThrowsAsync<DocumentRejectedException>(() => extractor.ExtractAsync("endless.txt", content));

        Assert.Equal(RejectionReason.TooLarge, rejection.Reason);
        Assert.Contains("more than 100000 bytes", rejection.Message, StringComparison.Ordinal);
        Assert.Equal(100_001, content.BytesRead);
    }

    [Fact]
    public async Task A_non_seekable_stream_within_the_limit_is_read_whole()
    {
        var extractor = DocumentExtractor.CreateDefault(new IngestionOptions { MaxDocumentBytes = 300_000 });
        var content = new ProbeStream(length: 300_000, canSeek: false);

        var document = await extractor.ExtractAsync("letters.txt", content);

        Assert.Equal(300_000, document.CharacterCount);
        Assert.Equal(300_000, content.BytesRead);
    }

    [Fact]
    public async Task A_document_of_exactly_the_byte_limit_is_accepted()
    {
        var bytes = Encoding.UTF8.GetBytes("exactly fits");

        var document = await ExtractAsync("fits.txt", bytes, new IngestionOptions { MaxDocumentBytes = bytes.Length });

        Assert.Equal([Paragraph("exactly fits")], document.Blocks);
    }

    [Fact]
    public async Task More_extracted_text_than_the_character_limit_is_too_large()
    {
        var text = string.Join("\n\n", Enumerable.Repeat("Ten chars.", 20));

        var rejection = await RejectAsync("long.txt", text, new IngestionOptions { MaxExtractedCharacters = 150 });

        Assert.Equal(RejectionReason.TooLarge, rejection.Reason);
        Assert.Contains("200 characters", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("150", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Block_text_is_composed_to_nfc_with_whitespace_collapsed_and_the_id_kept()
    {
        var text = "  Cafe\u0301\u00A0au\tlait  \n costs\u2003two   euros \n\n \u0007 \n\nfin";

        var document = await ExtractAsync("menus/café.txt", text);

        Assert.Equal("menus/café.txt", document.DocumentId);
        Assert.Equal([Paragraph("Caf\u00E9 au lait costs two euros"), Paragraph("fin")], document.Blocks);
        Assert.Equal(31, document.CharacterCount);
    }

    [Fact]
    public async Task An_unexpected_parser_exception_is_wrapped_as_corrupt()
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
    public async Task Cancellation_inside_an_extractor_passes_through()
    {
        var extractor = WithExtractor(new ThrowingExtractor(".bin", new OperationCanceledException()));

        await Assert.ThrowsAsync<OperationCanceledException>(() => extractor.ExtractAsync("data.bin", new MemoryStream([1])));
    }

    [Fact]
    public async Task A_cancelled_token_stops_extraction()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => DocumentExtractor.CreateDefault().ExtractAsync("a.txt", new MemoryStream("text"u8.ToArray()), cancellation.Token));
    }

    [Fact]
    public async Task The_extractor_registered_last_for_an_extension_wins()
    {
        var options = Options.Create(new IngestionOptions());
        var replacement = new ThrowingExtractor(".TXT", new InvalidOperationException("replacement used"));
        var extractor = new DocumentExtractor(options, [.. DocumentExtractor.CreateBuiltInExtractors(options), replacement]);

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

        public IReadOnlyList<DocumentBlock> Extract(Stream content, CancellationToken cancellationToken) => throw failure;
    }
}
