using SemanticSearch.Extraction;

namespace SemanticSearch.Tests.Extraction;

/// <summary>The repository's sample documents, linked into the test output by the project file.</summary>
public class SampleDocumentsTests
{
    private static readonly string SamplesFolder = Path.Combine(AppContext.BaseDirectory, "samples");

    [Theory]
    [InlineData("sourdough-baking.md", "Baking Sourdough Bread", "lactic acid bacteria")]
    [InlineData("honeybee-navigation.txt", "How Honeybees Find Their Way", "waggle dance")]
    [InlineData("apollo-guidance-computer.html", "The Apollo Guidance Computer", "core rope memory")]
    [InlineData("coral-reef-bleaching.pdf", "Coral Reef Bleaching", "zooxanthellae")]
    [InlineData("history-of-the-bicycle.docx", "A Short History of the Bicycle", "penny-farthing")]
    [InlineData("volcanic-eruptions.json", "Volcanic Eruptions", "Pyroclastic flows")]
    public async Task EverySampleExtractsItsTitleFirstAndItsTopicInTheBody(string fileName, string title, string topicPhrase)
    {
        await using var content = File.OpenRead(Path.Combine(SamplesFolder, fileName));

        var document = await DocumentExtractor.CreateDefault().ExtractAsync(fileName, content);

        Assert.Equal(title, document.Blocks[0].Text);
        Assert.Contains(document.Blocks.Skip(1), block => block.Text.Contains(topicPhrase, StringComparison.Ordinal));
        Assert.InRange(document.CharacterCount, 1000, 5000);
    }

    [Fact]
    public async Task TheStructuredSamplesKeepTheirHeadingsListItemsAndTableRows()
    {
        var bicycle = await ExtractSampleAsync("history-of-the-bicycle.docx");
        var sourdough = await ExtractSampleAsync("sourdough-baking.md");
        var apollo = await ExtractSampleAsync("apollo-guidance-computer.html");
        var coral = await ExtractSampleAsync("coral-reef-bleaching.pdf");

        Assert.Equal(
            ["A Short History of the Bicycle", "The running machine", "Pedals and the penny-farthing", "The safety bicycle", "A social revolution"],
            Texts(bicycle, BlockKind.Heading));
        Assert.Equal(3, Texts(bicycle, BlockKind.ListItem).Count);
        Assert.Equal("1885 | Rover safety bicycle", Texts(bicycle, BlockKind.TableRow)[3]);
        Assert.Equal("Bulk fermentation | 4–6 hours at 24 °C", Texts(sourdough, BlockKind.TableRow)[2]);
        Assert.Single(Texts(sourdough, BlockKind.Code));
        Assert.DoesNotContain(apollo.Blocks, block => block.Text.Contains("Home", StringComparison.Ordinal));
        Assert.Equal(["Coral Reef Bleaching", "Why corals turn white", "Mass bleaching events", "Helping reefs survive"], Texts(coral, BlockKind.Heading));
    }

    [Fact]
    public async Task TheMarkdownSampleStatesItsTitleAndTagsInFrontMatter()
    {
        var sourdough = await ExtractSampleAsync("sourdough-baking.md");

        Assert.Equal("Baking Sourdough Bread", sourdough.Properties.Title);
        Assert.Equal(["baking", "bread", "fermentation"], sourdough.Properties.Tags);
        Assert.Empty(sourdough.Properties.Acl);
    }

    [Fact]
    public void TheSamplesStaySmall()
    {
        var files = new DirectoryInfo(SamplesFolder).GetFiles();

        Assert.True(files.Sum(file => file.Length) < 300 * 1024);
        Assert.All(files, file => Assert.True(file.Length < 100 * 1024, file.Name));
    }

    private static async Task<ExtractedDocument> ExtractSampleAsync(string fileName)
    {
        await using var content = File.OpenRead(Path.Combine(SamplesFolder, fileName));
        return await DocumentExtractor.CreateDefault().ExtractAsync(fileName, content);
    }

    private static List<string> Texts(ExtractedDocument document, BlockKind kind) =>
        document.Blocks.Where(block => block.Kind == kind).Select(block => block.Text).ToList();
}
