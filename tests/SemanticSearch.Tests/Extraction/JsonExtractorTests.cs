using SemanticSearch.Extraction;
using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class JsonExtractorTests
{
    [Fact]
    public async Task EveryStringValueAtAnyDepthIsAParagraphInDocumentOrder()
    {
        const string json = """
            {
              "title": "Glaciers",
              "count": 42,
              "active": true,
              "nothing": null,
              "sections": [
                { "heading": "Formation", "body": "Snow compacts into firn, then ice." },
                [ "nested", [ "deeper" ] ]
              ],
              "propertyNameOnly": {}
            }
            """;

        var document = await ExtractAsync("glaciers.json", json);

        Assert.Equal(
            [
                Paragraph("Glaciers"),
                Paragraph("Formation"),
                Paragraph("Snow compacts into firn, then ice."),
                Paragraph("nested"),
                Paragraph("deeper"),
            ],
            document.Blocks);
    }

    [Fact]
    public async Task CommentsAndTrailingCommasAreTolerated()
    {
        const string json = """
            // exported by a tool
            [ "one", "two", ]
            """;

        var document = await ExtractAsync("lenient.json", json);

        Assert.Equal([Paragraph("one"), Paragraph("two")], document.Blocks);
    }

    [Theory]
    [InlineData("{ \"unterminated\": ")]
    [InlineData("{ 'single': 'quotes' }")]
    [InlineData("not json at all")]
    public async Task InvalidJsonIsCorrupt(string json)
    {
        var rejection = await RejectAsync("bad.json", json);

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
        Assert.Contains("not valid JSON", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NestingDeeperThanTheMaximumDepthIsCorrupt()
    {
        var json = new string('[', 100) + "\"deep\"" + new string(']', 100);

        var rejection = await RejectAsync("deep.json", json);

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
        Assert.Contains("depth", rejection.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task JsonWithoutStringValuesIsEmpty()
    {
        var rejection = await RejectAsync("numbers.json", "{ \"a\": 1, \"b\": [2, 3.5, false] }");

        Assert.Equal(RejectionReason.Empty, rejection.Reason);
    }
}
