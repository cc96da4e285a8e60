using Microsoft.Extensions.Options;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
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

    [Fact]
    public async Task TheDocumentInformationTitleAndKeywordsAreTheDocumentsTitleAndTags()
    {
        var pdf = new TestPdfBuilder()
            .Information("Coral Reefs", "Oceans; Climate, coral")
            .Paragraph("Reefs are built by colonies of tiny animals.")
            .Build();

        var document = await ExtractAsync("reefs.pdf", pdf);

        Assert.Equal("Coral Reefs", document.Properties.Title);
        Assert.Equal(["climate", "coral", "oceans"], document.Properties.Tags);
        Assert.Empty(document.Properties.Acl);
    }

    [Fact]
    public async Task APdfWithoutInformationSaysNothing()
    {
        var document = await ExtractAsync("bare.pdf", new TestPdfBuilder().Paragraph("Just text.").Build());

        Assert.Null(document.Properties.Title);
        Assert.Empty(document.Properties.Tags);
    }

    [Fact]
    public async Task EveryChunkOfAManyPagePdfCitesTheOnePageItComesFrom()
    {
        var pdf = new TestPdfBuilder()
            .Heading("Field guide", 22)
            .Paragraph("Page one opens the guide to the birds of the coast,", "and says how to use it.")
            .NewPage()
            .Paragraph("Page two is short.")
            .NewPage()
            .Heading("Second part", 15)
            .Paragraph("Page three starts the second part, which is about", "the birds of the marshes.")
            .Paragraph("And it goes on a little.")
            .Build();
        var document = await ExtractAsync("guide.pdf", pdf);

        // Small blocks are normally joined into one chunk; a page break keeps them apart.
        var chunks = new Chunker(new WordTokenCounter(), Options.Create(new ChunkingOptions { MaxTokens = 256, OverlapTokens = 0 })).Chunk(document);

        Assert.Equal([1, 2, 3], document.Blocks.Select(block => block.Page!.Value).Distinct());
        Assert.Equal(
            [
                ("Field guide\nPage one opens the guide to the birds of the coast, and says how to use it.", 1),
                ("Page two is short.", 2),
                ("Second part\nPage three starts the second part, which is about the birds of the marshes.\nAnd it goes on a little.", 3),
            ],
            chunks.Select(chunk => (chunk.Text, chunk.Page!.Value)));
        Assert.Equal([["Field guide"], ["Field guide"], ["Field guide", "Second part"]], chunks.Select(chunk => chunk.Headings));
    }
}

