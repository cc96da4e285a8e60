using SemanticSearch.Extraction;
using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class PdfExtractorTests
{
    [Fact]
    public async Task LinesAreRegroupedIntoParagraphsAndLargerTypeIntoHeadings()
    {
        var pdf = new TestPdfBuilder()
            .Heading("Tides of the Bay of Fundy", 22)
            .Paragraph(
                "The Bay of Fundy has the highest tides in the world, with a range",
                "of up to sixteen metres between low and high water.")
            .Heading("Why the range is so large", 15)
            .Paragraph(
                "The bay's natural period of oscillation is close to the period of the",
                "ocean tide, so each tide reinforces the sloshing already under way.")
            .Paragraph("A second short paragraph closes the section.")
            .Build();

        var document = await ExtractAsync("tides.pdf", pdf);

        Assert.Equal(
            [
                Heading("Tides of the Bay of Fundy", 1, page: 1),
                Paragraph("The Bay of Fundy has the highest tides in the world, with a range of up to sixteen metres between low and high water.", page: 1),
                Heading("Why the range is so large", 2, page: 1),
                Paragraph("The bay's natural period of oscillation is close to the period of the ocean tide, so each tide reinforces the sloshing already under way.", page: 1),
                Paragraph("A second short paragraph closes the section.", page: 1),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task PagesAreReadInOrderAndHyphenatedLineEndsRejoinTheirWord()
    {
        var pdf = new TestPdfBuilder()
            .Paragraph("Page one talks about a well-", "known result in geometry.")
            .NewPage()
            .Paragraph("Page two follows it.")
            .Build();

        var document = await ExtractAsync("pages.pdf", pdf);

        Assert.Equal(
            [Paragraph("Page one talks about a well-known result in geometry.", page: 1), Paragraph("Page two follows it.", page: 2)],
            document.Blocks);
    }

    [Fact]
    public async Task APdfOfImagesWithoutATextLayerIsEmptyAndSaysOcrIsNotSupported()
    {
        var pdf = new TestPdfBuilder().Image().NewPage().Image().Build();

        var rejection = await RejectAsync("scan.pdf", pdf);

        Assert.Equal(RejectionReason.Empty, rejection.Reason);
        Assert.Contains("no text layer", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("OCR", rejection.Message, StringComparison.Ordinal);
        Assert.Contains("2 page(s)", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APasswordProtectedPdfIsRejectedAsEncrypted()
    {
        var rejection = await RejectAsync("secret.pdf", TestPdfBuilder.EncryptedWithUnknownPassword());

        Assert.Equal(RejectionReason.Encrypted, rejection.Reason);
        Assert.Contains("password", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PaddingAfterTheEndOfFileMarkerIsTolerated()
    {
        var pdf = new TestPdfBuilder().Paragraph("Padded but complete.").Build();
        byte[] padded = [.. pdf, .. new byte[900]];

        var document = await ExtractAsync("padded.pdf", padded);

        Assert.Equal([Paragraph("Padded but complete.", page: 1)], document.Blocks);
    }

    [Fact]
    public async Task RandomBytesNamedPdfAreCorrupt()
    {
        var rejection = await RejectAsync("random.pdf", RandomBytes(5000, seed: 11));

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
        Assert.Contains("PDF", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public async Task ATruncatedPdfIsCorrupt(double keptShare)
    {
        var pdf = new TestPdfBuilder().Heading("Heading", 18).Paragraph("Some text that will be cut off.").Build();

        var rejection = await RejectAsync("truncated.pdf", pdf[..(int)(pdf.Length * keptShare)]);

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
        Assert.Contains("cut short", rejection.Message, StringComparison.Ordinal);
    }
}
