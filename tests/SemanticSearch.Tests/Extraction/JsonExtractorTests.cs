using SemanticSearch.Extraction;
using static SemanticSearch.Tests.Extraction.ExtractionHarness;

namespace SemanticSearch.Tests.Extraction;

public class JsonExtractorTests
{
    [Fact]
    public async Task Every_string_value_at_any_depth_is_a_paragraph_in_document_order()
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
    public async Task Comments_and_trailing_commas_are_tolerated()
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
    public async Task Invalid_json_is_corrupt(string json)
    {
        var rejection = await RejectAsync("bad.json", json);

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
        Assert.Contains("not valid JSON", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nesting_deeper_than_the_maximum_depth_is_corrupt()
    {
        var json = new string('[', 100) + "\"deep\"" + new string(']', 100);

        var rejection = await RejectAsync("deep.json", json);

        Assert.Equal(RejectionReason.Corrupt, rejection.Reason);
        Assert.Contains("depth", rejection.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Json_without_string_values_is_empty()
    {
        var rejection = await RejectAsync("numbers.json", "{ \"a\": 1, \"b\": [2, 3.5, false] }");

        Assert.Equal(RejectionReason.Empty, rejection.Reason);
    }
}
