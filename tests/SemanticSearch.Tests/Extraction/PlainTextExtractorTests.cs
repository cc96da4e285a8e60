using System.Text;
using SemanticSearch.Extraction;
using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class PlainTextExtractorTests
{
    [Fact]
    public async Task ParagraphsAreSplitOnBlankLinesAndTheirLinesJoined()
    {
        var text = "First line of the first paragraph\nand its second line.\n\n\nSecond paragraph.\r\n   \r\nThird\r\nparagraph.";

        var document = await ExtractAsync("notes.txt", text);

        Assert.Equal(
            [
                Paragraph("First line of the first paragraph and its second line."),
                Paragraph("Second paragraph."),
                Paragraph("Third paragraph."),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task TheTextExtensionIsPlainTextToo()
    {
        var document = await ExtractAsync("README.TEXT", "Just one paragraph.");

        Assert.Equal([Paragraph("Just one paragraph.")], document.Blocks);
    }

    public static TheoryData<string, byte[]> TextWithByteOrderMarks()
    {
        const string text = "Grüße aus Köln – 東京";
        return new TheoryData<string, byte[]>
        {
            { "UTF-8", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] },
            { "UTF-16 LE", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)] },
            { "UTF-16 BE", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)] },
            { "UTF-32 LE", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(text)] },
        };
    }

    [Theory]
    [MemberData(nameof(TextWithByteOrderMarks))]
    public async Task AByteOrderMarkPicksTheEncodingAndIsNotPartOfTheText(string encoding, byte[] bytes)
    {
        var document = await ExtractAsync("greeting.txt", bytes);

        Assert.True(document.Blocks.Count == 1, encoding);
        Assert.Equal("Grüße aus Köln – 東京", document.Blocks[0].Text);
    }

    [Fact]
    public async Task InvalidUtf8IsRejectedAsBinary()
    {
        byte[] bytes = [.. "Valid start, then "u8, 0xC3, 0x28, .. " an invalid sequence."u8];

        var rejection = await RejectAsync("broken.txt", bytes);

        Assert.Equal(RejectionReason.Binary, rejection.Reason);
        Assert.Contains("utf-8", rejection.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task NulBytesAreRejectedAsBinary()
    {
        var rejection = await RejectAsync("data.txt", "header\0\0\0\u0001payload");

        Assert.Equal(RejectionReason.Binary, rejection.Reason);
        Assert.Contains("NUL", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidUtf8ThatIsMostlyControlCharactersIsRejectedAsBinary()
    {
        var text = string.Concat(Enumerable.Repeat("\u0001\u0002\u0003ab\u001B", 50));

        var rejection = await RejectAsync("controls.txt", text);

        Assert.Equal(RejectionReason.Binary, rejection.Reason);
        Assert.Contains("control characters", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOccasionalControlCharacterIsToleratedAndDropped()
    {
        var text = "A log line with a \u001B[0m colour reset, and otherwise perfectly ordinary prose to read.";

        var document = await ExtractAsync("build.txt", text);

        Assert.Equal([Paragraph("A log line with a [0m colour reset, and otherwise perfectly ordinary prose to read.")], document.Blocks);
    }

    [Theory]
    [InlineData("garbage.txt")]
    [InlineData("garbage.md")]
    [InlineData("garbage.markdown")]
    [InlineData("garbage.html")]
    [InlineData("garbage.json")]
    public async Task RandomBytesInATextFormatAreRejectedAsBinary(string documentId)
    {
        var rejection = await RejectAsync(documentId, RandomBytes(4096, seed: 7));

        Assert.Equal(RejectionReason.Binary, rejection.Reason);
    }
}
